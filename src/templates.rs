//! Template accounts: the platform's Default Template, the templates operators mark
//! in each organization, and the copy of a template's content into a new account.

use std::collections::BTreeMap;

use crate::Umbrella;
use crate::audit::{AuditContext, Change};
use crate::auth::OrgAdmin;
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::content::bundle::{self, Bundle, MAX_CATEGORY_DEPTH, ValidBundle, quote};
use crate::domain::content::{ContentCounts, ContentKind};
use crate::domain::{Account, AccountForm, NewAccount, OrganizationId, PartnerId, Status};
use crate::error::{Error, Result};
use crate::storage::organizations::{self, CopyLimits};
use crate::storage::{Conn, Db, accounts, content, is_unique_violation, templates};

/// The name under which the platform's default template is offered.
pub const DEFAULT_TEMPLATE_NAME: &str = "Default Template";
/// The most categories / items of each other kind a copy may take, unless the
/// operator sets other limits for the organization.
pub const DEFAULT_CATEGORY_LIMIT: i64 = 500;
pub const DEFAULT_ITEM_LIMIT: i64 = 10;
/// The highest copy limit an operator may set: bundles hold no more.
pub const MAX_COPY_LIMIT: i64 = bundle::MAX_ITEMS_PER_KIND as i64;

/// A template the Add Account dialog offers, with what it would copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateChoice {
    pub partner_id: PartnerId,
    pub name: String,
    pub is_default: bool,
    pub counts: ContentCounts,
}

impl Umbrella {
    /// Connects to the database, applies the migrations and makes sure the platform's
    /// Default Template exists: what every entry point does first.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str) -> Result<Self> {
        let umbrella = Self::new(Db::connect(url).await?);
        umbrella.ensure_platform().await?;
        Ok(umbrella)
    }

    /// Creates the platform's organization with its "Default Template" account and
    /// starter content, once per database.
    #[tracing::instrument(skip_all)]
    pub async fn ensure_platform(&self) -> Result<()> {
        if let Some(platform) =
            organizations::platform(&mut *self.db().pool().acquire().await?).await?
        {
            return self.freeze_default_template(platform).await;
        }
        let mut tx = self.db().begin_write().await?;
        let now = Timestamp::now();
        let organization = match organizations::insert_platform(&mut tx, now).await {
            Ok(id) => id,
            // Another process made it first (or it exists): nothing to do.
            Err(e)
                if is_unique_violation(
                    &e,
                    &["organizations_one_platform", "organizations.is_platform"],
                ) =>
            {
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let platform = platform_account("Umbrella Platform", "platform@umbrella.invalid")?;
        let parent = accounts::insert(&mut tx, organization, None, &platform, now).await?;
        let template =
            platform_account(DEFAULT_TEMPLATE_NAME, "default-template@umbrella.invalid")?;
        let template_id =
            accounts::insert(&mut tx, organization, Some(parent), &template, now).await?;
        organizations::count_status_change(&mut tx, organization, None, Status::Active).await?;
        organizations::count_status_change(&mut tx, organization, None, Status::Active).await?;
        templates::set_template(&mut tx, template_id, true).await?;
        templates::set_default_template(&mut tx, template_id).await?;
        content::write(
            &mut tx,
            self.db().backend(),
            template_id,
            // Through the same door as every other bundle.
            &starter_content().check()?,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(partner_id = %template_id, "platform default template created");
        Ok(())
    }

    /// Databases from before the Default Template had to be the platform's may point
    /// it at an organization's account. That account stays the organization's; the
    /// default becomes a frozen copy of it in the platform's organization, once.
    async fn freeze_default_template(&self, platform: OrganizationId) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        let Some(current) = templates::default_template(&mut conn).await? else {
            return Ok(());
        };
        let Some(account) = accounts::find(&mut conn, current).await? else {
            return Ok(());
        };
        if account.organization_id == platform {
            return Ok(());
        }
        drop(conn);
        let mut tx = self.db().begin_write().await?;
        organizations::lock(&mut tx, platform).await?;
        // Another server may have frozen it meanwhile.
        if templates::default_template(&mut tx).await? != Some(current) {
            return Ok(());
        }
        let copy_id = platform_copy(
            &mut tx,
            self.db().backend(),
            platform,
            DEFAULT_TEMPLATE_NAME,
            Some(current),
        )
        .await?;
        templates::set_default_template(&mut tx, copy_id).await?;
        tx.commit().await?;
        tracing::warn!(
            organization_account = %current,
            platform_copy = %copy_id,
            "the Default Template was an organization's account; it is now a frozen platform copy"
        );
        Ok(())
    }

    /// The operator's `create-platform-template`: a template of the platform's own,
    /// which no organization can change, empty or with a copy of `from`'s content;
    /// the only kind of account that can become the Default Template.
    #[tracing::instrument(skip(self, who))]
    pub async fn create_platform_template(
        &self,
        who: &AuditContext,
        name: &str,
        from: Option<PartnerId>,
    ) -> Result<PartnerId> {
        self.audited(who, AuditAction::TemplateSet, None, async |change| {
            let platform = organizations::platform(&mut *self.db().pool().acquire().await?)
                .await?
                .ok_or_else(|| {
                    Error::Internal("the platform organization is missing".to_owned())
                })?;
            let mut tx = self.db().begin_write().await?;
            organizations::lock(&mut tx, platform).await?;
            if let Some(from) = from {
                accounts::find(&mut tx, from)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("account {from}")))?;
            }
            let id = platform_copy(&mut tx, self.db().backend(), platform, name, from).await?;
            change.commit(tx, Some(id)).await?;
            Ok(id)
        })
        .await
    }

    /// The templates an administrator may copy from: the platform's default first,
    /// then their organization's own, each with its content counts.
    #[tracing::instrument(skip_all)]
    pub async fn template_choices(&self, admin: &OrgAdmin) -> Result<Vec<TemplateChoice>> {
        let mut conn = self.db().pool().acquire().await?;
        let mut choices = Vec::new();
        if let Some(default) = templates::default_template(&mut conn).await?
            && let Some(account) = accounts::find(&mut conn, default).await?
            && account.is_template
            && account.status == Status::Active
        {
            choices.push(TemplateChoice {
                partner_id: default,
                name: DEFAULT_TEMPLATE_NAME.to_owned(),
                is_default: true,
                counts: content::counts(&mut conn, default).await?,
            });
        }
        for (id, name) in templates::active_templates(&mut conn, admin.organization_id).await? {
            let partner_id = PartnerId::new(id);
            if choices.iter().any(|c| c.partner_id == partner_id) {
                continue;
            }
            choices.push(TemplateChoice {
                partner_id,
                name,
                is_default: false,
                counts: content::counts(&mut conn, partner_id).await?,
            });
        }
        Ok(choices)
    }

    /// Marks an account as a template, or (`on == false`) makes it an ordinary
    /// account again. A template does not count against the account quota, so
    /// turning it back takes a place, if there is one.
    #[tracing::instrument(skip(self, who))]
    pub async fn set_template(
        &self,
        who: &AuditContext,
        partner_id: PartnerId,
        on: bool,
    ) -> Result<Account> {
        let action = if on {
            AuditAction::TemplateSet
        } else {
            AuditAction::TemplateUnset
        };
        self.audited(who, action, Some(partner_id), async |change| {
            // Its organization is found before the transaction: on SQLite a transaction
            // must write (take the lock) before it reads.
            let organization = accounts::find(&mut *self.db().pool().acquire().await?, partner_id)
                .await?
                .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?
                .organization_id;
            let mut tx = self.db().begin_write().await?;
            organizations::lock(&mut tx, organization).await?;
            let account = accounts::find(&mut tx, partner_id)
                .await?
                .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?;
            if account.is_parent() {
                return Err(Error::Conflict(format!(
                    "Account {partner_id} is its organization's parent account and cannot be a \
                 template."
                )));
            }
            if account.status != Status::Active {
                return Err(Error::Conflict(format!(
                    "Account {partner_id} is {}; only an active account can be made a template or \
                 turned back.",
                    account.status.label().to_lowercase()
                )));
            }
            if account.is_template == on {
                return Ok(account);
            }
            if on {
                organizations::release_account_place(&mut tx, account.organization_id).await?;
            } else {
                if templates::default_template(&mut tx).await? == Some(partner_id) {
                    return Err(Error::Conflict(format!(
                        "Account {partner_id} is the platform's default template; set another \
                         default first."
                    )));
                }
                if !organizations::take_account_place(&mut tx, account.organization_id).await? {
                    return Err(Error::QuotaReached(
                        "The organization has no account place left; raise its quota first \
                     (set-quota)."
                            .to_owned(),
                    ));
                }
            }
            templates::set_template(&mut tx, partner_id, on).await?;
            change.commit(tx, None).await?;
            tracing::info!(partner_id = %partner_id, on, "template flag changed");
            Ok(Account {
                is_template: on,
                ..account
            })
        })
        .await
    }

    /// Makes a template account the platform's default, offered to every organization.
    /// Only the platform's own templates qualify: an organization's account stays
    /// editable by its administrators, whose edits would then reach every other
    /// organization's new accounts.
    #[tracing::instrument(skip(self, who))]
    pub async fn set_default_template(
        &self,
        who: &AuditContext,
        partner_id: PartnerId,
    ) -> Result<()> {
        self.audited(
            who,
            AuditAction::TemplateDefault,
            Some(partner_id),
            async |change| {
                let platform =
                    organizations::platform(&mut *self.db().pool().acquire().await?).await?;
                let mut tx = self.db().begin_write().await?;
                // Write first (SQLite): lock the account before reading it.
                accounts::lock(&mut tx, partner_id).await?;
                let account = accounts::find(&mut tx, partner_id)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?;
                if Some(account.organization_id) != platform {
                    return Err(Error::Conflict(format!(
                        "Account {partner_id} belongs to an organization, whose administrators can \
                     change it; only a platform template can be the Default Template. Copy its \
                     content into one with export-content and import-content first."
                    )));
                }
                if !account.is_template || account.status != Status::Active {
                    return Err(Error::Conflict(format!(
                        "Account {partner_id} is not an active template; mark it with set-template \
                     first."
                    )));
                }
                templates::set_default_template(&mut tx, partner_id).await?;
                change.commit(tx, None).await?;
                Ok(())
            },
        )
        .await
    }

    /// Sets how much of a template the organization's new accounts may copy;
    /// `None` keeps a limit as it is.
    #[tracing::instrument(skip_all)]
    pub async fn set_copy_limits(
        &self,
        who: &AuditContext,
        parent: PartnerId,
        categories: Option<i64>,
        items: Option<i64>,
    ) -> Result<CopyLimits> {
        self.audited(
            who,
            AuditAction::OrganizationCopyLimits,
            Some(parent),
            async |change| {
                let mut errors = crate::error::FieldErrors::default();
                for (field, value) in [("categories", categories), ("items", items)] {
                    if let Some(value) = value {
                        errors.check(
                            field,
                            if (0..=MAX_COPY_LIMIT).contains(&value) {
                                Ok(())
                            } else {
                                Err(format!(
                                    "must be between 0 and {MAX_COPY_LIMIT}, not {value}"
                                ))
                            },
                        );
                    }
                }
                if !errors.is_empty() {
                    return Err(Error::Invalid(errors.into_vec()));
                }
                // Found before the transaction: on SQLite a transaction must write first.
                let organization =
                    parent_organization(&mut *self.db().pool().acquire().await?, parent).await?;
                let mut tx = self.db().begin_write().await?;
                organizations::lock(&mut tx, organization).await?;
                let current = organizations::copy_limits(&mut tx, organization)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("organization of {parent}")))?;
                let limits = CopyLimits {
                    categories: categories.unwrap_or(current.categories),
                    items: items.unwrap_or(current.items),
                };
                organizations::set_copy_limits(&mut tx, organization, limits).await?;
                change.commit(tx, None).await?;
                Ok(limits)
            },
        )
        .await
    }

    /// Any account's content as a bundle (operator).
    #[tracing::instrument(skip_all)]
    pub async fn export_account_content(&self, partner_id: PartnerId) -> Result<Bundle> {
        // One statement: its own snapshot, without a transaction's round trips.
        let mut conn = self.db().pool().acquire().await?;
        content::export_existing(&mut conn, partner_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))
    }

    /// Replaces any account's content with a bundle's (operator, and the console for
    /// the caller's own account). A removed account is frozen and refuses.
    #[tracing::instrument(skip(self, json, who))]
    pub async fn import_account_content(
        &self,
        who: &AuditContext,
        partner_id: PartnerId,
        json: &str,
    ) -> Result<ContentCounts> {
        self.audited(
            who,
            AuditAction::ContentImport,
            Some(partner_id),
            async |change| {
                self.import_account_bundle(change, partner_id, Bundle::from_json(json)?)
                    .await
            },
        )
        .await
    }

    /// As [`Umbrella::import_account_content`], for a bundle already read and
    /// checked.
    #[tracing::instrument(skip_all)]
    pub async fn import_account_bundle(
        &self,
        change: Change,
        partner_id: PartnerId,
        bundle: ValidBundle,
    ) -> Result<ContentCounts> {
        if self.db().backend() == crate::Backend::Sqlite {
            return self.import_staged(change, partner_id, bundle).await;
        }
        let mut tx = self.db().begin_write().await?;
        accounts::lock(&mut tx, partner_id).await?;
        importable(&mut tx, partner_id).await?;
        content::clear(&mut tx, partner_id).await?;
        content::write(
            &mut tx,
            self.db().backend(),
            partner_id,
            &bundle,
            Timestamp::now(),
        )
        .await?;
        change.commit(tx, None).await?;
        tracing::info!(partner_id = %partner_id, "content imported");
        Ok(bundle.counts())
    }

    /// The import on SQLite: staged in short writes, then moved in by one short
    /// transaction, so that the one write lock is never held for long (see
    /// `storage::content::staging`).
    async fn import_staged(
        &self,
        change: Change,
        partner_id: PartnerId,
        bundle: ValidBundle,
    ) -> Result<ContentCounts> {
        use crate::storage::content::staging;
        let mut conn = self.db().pool().acquire().await?;
        // What the move would refuse is refused before anything is staged.
        importable(&mut conn, partner_id).await?;
        let now = Timestamp::now();
        staging::discard_abandoned(&mut conn, now).await?;
        let import = staging::stage(&mut conn, partner_id, &bundle, now).await?;
        let moved = async {
            let mut tx = self.db().begin_write().await?;
            accounts::lock(&mut tx, partner_id).await?;
            importable(&mut tx, partner_id).await?;
            content::clear(&mut tx, partner_id).await?;
            staging::move_in(&mut tx, partner_id, import, &bundle).await?;
            change.commit(tx, None).await
        }
        .await;
        if let Err(error) = staging::discard(&mut conn, import).await {
            // Left for the next import's clean-up of abandoned ones.
            tracing::warn!(error = ?error, "could not drop a finished import's staged rows");
        }
        moved?;
        tracing::info!(partner_id = %partner_id, "content imported");
        Ok(bundle.counts())
    }
}

/// The account, when its content may be replaced: it exists and is not removed.
async fn importable(conn: &mut Conn, partner_id: PartnerId) -> Result<()> {
    let account = accounts::find(conn, partner_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("account {partner_id}")))?;
    if account.status == Status::Removed {
        return Err(Error::Conflict(format!(
            "Account {partner_id} is removed; its content cannot change."
        )));
    }
    Ok(())
}

async fn parent_organization(conn: &mut Conn, parent: PartnerId) -> Result<OrganizationId> {
    accounts::find(conn, parent)
        .await?
        .filter(Account::is_parent)
        .map(|a| a.organization_id)
        .ok_or_else(|| Error::NotFound(format!("organization with parent Partner ID {parent}")))
}

/// The content a new account gets from `template`, read inside the creating
/// transaction and checked against the organization's copy limits. Only the
/// platform's default template and the organization's own active templates qualify.
pub(crate) async fn content_to_copy(
    conn: &mut Conn,
    organization: OrganizationId,
    template: PartnerId,
) -> Result<ValidBundle> {
    let unknown = || {
        Error::invalid(
            "template",
            "This template account does not exist in your organization.",
        )
    };
    let account = accounts::find(&mut *conn, template)
        .await?
        .ok_or_else(unknown)?;
    let is_default = templates::default_template(&mut *conn).await? == Some(template);
    if !account.is_template
        || account.status != Status::Active
        || !(is_default || account.organization_id == organization)
    {
        return Err(unknown());
    }
    let limits = organizations::copy_limits(&mut *conn, organization)
        .await?
        .ok_or_else(|| Error::NotFound("organization".to_owned()))?;
    let bundle = content::export(&mut *conn, template).await?;
    let name = if is_default {
        DEFAULT_TEMPLATE_NAME
    } else {
        account.name.as_str()
    };
    check_limits(&bundle.counts(), limits, name)?;
    if let Some((category, level)) = bundle.deepest_category()
        && level > MAX_CATEGORY_DEPTH
    {
        return Err(Error::invalid(
            "template",
            format!(
                "The template \"{}\" nests the category \"{}\" {level} levels deep; \
                 categories nest at most {MAX_CATEGORY_DEPTH} levels.",
                quote(name),
                quote(&category.name)
            ),
        ));
    }
    // A template's rows were checked when they were written; the copy is checked
    // again as it goes in, like every bundle.
    bundle.check()
}

/// Refuses a template with more of any kind than the limits allow, naming the kind.
pub fn check_limits(counts: &ContentCounts, limits: CopyLimits, template: &str) -> Result<()> {
    let over: Vec<String> = counts
        .by_kind()
        .filter_map(|(kind, count)| {
            let limit = if kind == ContentKind::Categories {
                limits.categories
            } else {
                limits.items
            };
            (count > limit)
                .then(|| format!("{count} {} (at most {limit} can be copied)", kind.label()))
        })
        .collect();
    if over.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(
            "template",
            format!(
                "The template \"{template}\" is over the copy limits: it has {}.",
                over.join(", ")
            ),
        ))
    }
}

/// A new template account of the platform named `name`, holding a copy of `source`'s
/// content (none without one). Inside the caller's write transaction.
async fn platform_copy(
    tx: &mut Conn,
    backend: crate::Backend,
    platform: OrganizationId,
    name: &str,
    source: Option<PartnerId>,
) -> Result<PartnerId> {
    let parent = organizations::parent_of(tx, platform)
        .await?
        .ok_or_else(|| Error::Internal("the platform has no parent account".to_owned()))?;
    let now = Timestamp::now();
    let email = format!("template-{}@umbrella.invalid", now.millis());
    let account = NewAccount::parse(&AccountForm {
        admin_name: "Umbrella Operator".to_owned(),
        name: name.to_owned(),
        admin_email: email,
        admin_phone: "+1 000 000 0000".to_owned(),
        ..AccountForm::default()
    })
    .map_err(Error::Invalid)?;
    let id = accounts::insert(tx, platform, Some(parent), &account, now).await?;
    organizations::count_status_change(tx, platform, None, Status::Active).await?;
    templates::set_template(tx, id, true).await?;
    if let Some(source) = source {
        let content = content::export(tx, source).await?.check()?;
        content::write(tx, backend, id, &content, now).await?;
    }
    Ok(id)
}

fn platform_account(name: &str, email: &str) -> Result<NewAccount> {
    NewAccount::parse(&AccountForm {
        admin_name: "Umbrella Operator".to_owned(),
        name: name.to_owned(),
        admin_email: email.to_owned(),
        admin_phone: "+1 000 000 0000".to_owned(),
        ..AccountForm::default()
    })
    .map_err(|errors| Error::Internal(format!("the platform account is not valid: {errors:?}")))
}

/// What the platform's Default Template starts with: enough to publish video on
/// day one, and an example of each kind to adapt.
pub fn starter_content() -> Bundle {
    let category = |key: &str, name: &str, parent: Option<&str>| bundle::Category {
        key: key.to_owned(),
        name: name.to_owned(),
        parent: parent.map(str::to_owned),
    };
    let role = |name: &str, description: &str, permissions: &[&str]| bundle::Role {
        name: name.to_owned(),
        description: description.to_owned(),
        permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
    };
    let flavor = |name: &str, width, height, bitrate| bundle::Flavor {
        name: name.to_owned(),
        codec: "h264".to_owned(),
        width,
        height,
        bitrate,
    };
    Bundle {
        categories: vec![
            category("news", "News", None),
            category("sports", "Sports", None),
            category("entertainment", "Entertainment", None),
            category("education", "Education", None),
            category("lectures", "Lectures", Some("education")),
        ],
        roles: vec![
            role(
                "Publisher Administrator",
                "Everything in the account, its users included.",
                &[
                    "account.manage",
                    "users.manage",
                    "content.manage",
                    "content.moderate",
                    "players.manage",
                    "analytics.view",
                ],
            ),
            role(
                "Content Manager",
                "Uploads, edits and publishes content.",
                &["content.manage", "analytics.view"],
            ),
            role(
                "Content Moderator",
                "Reviews content before it is published.",
                &["content.moderate"],
            ),
            role(
                "Player Designer",
                "Creates and styles players.",
                &["players.manage"],
            ),
            role(
                "Analyst",
                "Reads the account's analytics.",
                &["analytics.view"],
            ),
        ],
        transcoding_profiles: vec![bundle::TranscodingProfile {
            name: "Default".to_owned(),
            is_default: true,
            flavors: vec![
                flavor("SD 360p", 640, 360, 800),
                flavor("HD 720p", 1280, 720, 2_500),
                flavor("HD 1080p", 1920, 1080, 5_000),
            ],
        }],
        players: vec![bundle::Player {
            name: "Default Player".to_owned(),
            width: 640,
            height: 360,
            settings: BTreeMap::from([
                ("autoplay".to_owned(), "false".to_owned()),
                ("controls".to_owned(), "true".to_owned()),
            ]),
        }],
        access_control_profiles: vec![bundle::AccessControlProfile {
            name: "Default".to_owned(),
            is_default: true,
            rules: bundle::AccessRules::default(),
        }],
        feature_permissions: vec!["analytics".to_owned(), "captions".to_owned()],
        ..Bundle::empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_content_is_a_valid_bundle_within_the_default_limits() {
        let bundle = starter_content().check().unwrap();
        let limits = CopyLimits {
            categories: DEFAULT_CATEGORY_LIMIT,
            items: DEFAULT_ITEM_LIMIT,
        };
        check_limits(&bundle.counts(), limits, DEFAULT_TEMPLATE_NAME).unwrap();
    }

    #[test]
    fn the_limit_message_names_the_kind_and_the_limit() {
        let counts = ContentCounts {
            players: 11,
            categories: 3,
            ..ContentCounts::default()
        };
        let Err(Error::Invalid(errors)) = check_limits(
            &counts,
            CopyLimits {
                categories: 500,
                items: 10,
            },
            "Channel",
        ) else {
            panic!("refused")
        };
        assert_eq!(errors[0].field, "template");
        assert!(
            errors[0]
                .message
                .contains("11 Players (at most 10 can be copied)"),
            "{}",
            errors[0].message
        );
    }
}
