//! Each account's own content and its console: what a user of the account may see
//! and change, and whole-account export and import as a bundle.

use crate::Umbrella;
use crate::audit::AuditContext;
use crate::auth::{Actor, AdminClaim, OrgAdmin};
use crate::clock::Timestamp;
use crate::domain::UserView;
use crate::domain::audit::AuditAction;
use crate::domain::content::{
    Bundle, CategoryForm, CategoryNode, ContentCounts, EntryForm, EntryView, MAX_CATEGORY_DEPTH,
    PlaylistForm, PlaylistView, ValidBundle, quote,
};
use crate::domain::{CategoryId, EntryId, OrganizationId, PartnerId, PlaylistId, Status, UserId};
use crate::error::{Error, Result};
use crate::storage::content as store;
use crate::storage::{accounts, is_unique_violation, users};

/// Proof that the caller is a signed-in user of one account: the content services
/// take it, so they can only ever touch that account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountUser {
    pub(crate) user_id: UserId,
    pub(crate) account_id: PartnerId,
    pub(crate) organization_id: OrganizationId,
}

impl AccountUser {
    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// The one account whose content this proof opens.
    pub fn account_id(&self) -> PartnerId {
        self.account_id
    }

    pub fn organization_id(&self) -> OrganizationId {
        self.organization_id
    }
}

impl Actor {
    /// Every signed-in user works in their own account's console (a session only
    /// exists while the account is active, so a blocked account's content is shut).
    pub fn account_user(&self) -> AccountUser {
        AccountUser {
            user_id: self.user_id,
            account_id: self.account_id,
            organization_id: self.organization_id,
        }
    }
}

fn not_found(what: &str, id: impl std::fmt::Display) -> Error {
    Error::NotFound(format!("{what} {id}"))
}

fn sibling_name_taken() -> Error {
    Error::invalid(
        "name",
        "Another category with the same parent already has this name.",
    )
}

/// Entries on one page of the console's Entries section.
pub const ENTRIES_PER_PAGE: i64 = 100;

impl Umbrella {
    #[tracing::instrument(skip_all)]
    pub async fn content_counts(&self, user: &AccountUser) -> Result<ContentCounts> {
        let mut conn = self.db().pool().acquire().await?;
        store::counts(&mut conn, user.account_id).await
    }

    /// The account's whole content as a bundle (also what the console's read-only
    /// pages show).
    #[tracing::instrument(skip_all)]
    pub async fn export_content(&self, user: &AccountUser) -> Result<Bundle> {
        self.export_account_content(user.account_id).await
    }

    /// Replaces the account's content with a bundle's. The bundle is checked whole
    /// first; a bad one changes nothing and its errors name the bad items.
    #[tracing::instrument(skip_all)]
    pub async fn import_content(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        json: &str,
    ) -> Result<ContentCounts> {
        self.import_account_content(who, user.account_id, json)
            .await
    }

    /// As [`Umbrella::import_content`], for a bundle already read, so that a caller
    /// holding megabytes of JSON can let go of them before the rows are written.
    /// `bundle` is what reading it gave: one that could not be read is refused, and
    /// recorded, as the import's refusal.
    #[tracing::instrument(skip_all)]
    pub async fn import_bundle(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        bundle: Result<ValidBundle>,
    ) -> Result<ContentCounts> {
        self.audited(
            who,
            AuditAction::ContentImport,
            Some(user.account_id),
            async |change| {
                self.import_account_bundle(change, user.account_id, bundle?)
                    .await
            },
        )
        .await
    }

    /// An account of the administrator's organization, its content as a bundle (the
    /// reseller API). As for the account's own users, nothing of a blocked or removed
    /// account's content can be viewed; another organization's account is not found.
    #[tracing::instrument(skip(self, admin))]
    pub async fn organization_account_content(
        &self,
        admin: &OrgAdmin,
        partner_id: PartnerId,
    ) -> Result<Bundle> {
        let mut tx = self.db().begin_read().await?;
        let account = accounts::find(&mut tx, partner_id)
            .await?
            .filter(|a| a.organization_id == admin.organization_id)
            .ok_or_else(|| not_found("account", partner_id))?;
        if account.status != Status::Active {
            return Err(Error::Conflict(format!(
                "Account {partner_id} is {}: nothing of its content can be viewed until it is \
                 active.",
                account.status.as_db()
            )));
        }
        let bundle = store::export(&mut tx, partner_id).await?;
        tx.commit().await?;
        Ok(bundle)
    }

    /// Replaces the content of an account of the administrator's organization with a
    /// bundle's (the reseller API); a removed account is frozen and refuses. As for
    /// [`Umbrella::import_bundle`], a bundle that could not be read is refused here.
    #[tracing::instrument(skip(self, admin, bundle, who))]
    pub async fn import_organization_account_content(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        partner_id: PartnerId,
        bundle: Result<ValidBundle>,
    ) -> Result<ContentCounts> {
        self.audited(
            who,
            AuditAction::ContentImport,
            Some(partner_id),
            async |change| {
                let admin = &admin.org_admin()?;
                // An account never changes organization, so this check holds for the import.
                self.account(admin, partner_id).await?;
                self.import_account_bundle(change, partner_id, bundle?)
                    .await
            },
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_users(&self, user: &AccountUser) -> Result<Vec<UserView>> {
        let mut conn = self.db().pool().acquire().await?;
        users::list(&mut conn, user.account_id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_categories(&self, user: &AccountUser) -> Result<Vec<CategoryNode>> {
        let mut conn = self.db().pool().acquire().await?;
        store::categories(&mut conn, user.account_id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_entries(&self, user: &AccountUser) -> Result<Vec<EntryView>> {
        let mut conn = self.db().pool().acquire().await?;
        store::entries(&mut conn, user.account_id).await
    }

    /// A page of the account's entries (by name), after `after`; the next page's start.
    /// An account holds up to 10,000 entries: the console shows them a page at a time.
    #[tracing::instrument(skip_all)]
    pub async fn entries_page(
        &self,
        user: &AccountUser,
        after: Option<EntryId>,
    ) -> Result<(Vec<EntryView>, Option<EntryId>)> {
        let mut conn = self.db().pool().acquire().await?;
        let mut page =
            store::entries_page(&mut conn, user.account_id, after, ENTRIES_PER_PAGE + 1).await?;
        let next = if page.len() as i64 > ENTRIES_PER_PAGE {
            page.truncate(ENTRIES_PER_PAGE as usize);
            page.last().map(|entry| entry.id)
        } else {
            None
        };
        Ok((page, next))
    }

    /// Every entry's ID and name, for choosing (a playlist's entries).
    #[tracing::instrument(skip_all)]
    pub async fn entry_names(&self, user: &AccountUser) -> Result<Vec<(EntryId, String)>> {
        let mut conn = self.db().pool().acquire().await?;
        store::entry_names(&mut conn, user.account_id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_playlists(&self, user: &AccountUser) -> Result<Vec<PlaylistView>> {
        let mut conn = self.db().pool().acquire().await?;
        store::playlists(&mut conn, user.account_id).await
    }

    /// Creates an entry (`id` None) or changes one of the account's entries.
    #[tracing::instrument(skip_all)]
    pub async fn save_entry(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        id: Option<EntryId>,
        form: &EntryForm,
    ) -> Result<EntryId> {
        self.audited(
            who,
            AuditAction::ContentSave,
            Some(user.account_id),
            async |change| {
                let entry = form.parse()?;
                let mut tx = self.db().begin_write().await?;
                accounts::lock(&mut tx, user.account_id).await?;
                for category in &entry.categories {
                    if !store::category_exists(&mut tx, user.account_id, *category).await? {
                        return Err(Error::invalid(
                            "categories",
                            "One of the chosen categories no longer exists; reload and try again.",
                        ));
                    }
                }
                let id = match id {
                    Some(id) => {
                        if !store::update_entry(&mut tx, user.account_id, id, &entry).await? {
                            return Err(not_found("entry", id));
                        }
                        id
                    }
                    None => {
                        store::insert_entry(&mut tx, user.account_id, &entry, Timestamp::now())
                            .await?
                    }
                };
                change.commit(tx, None).await?;
                Ok(id)
            },
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn delete_entry(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        id: EntryId,
    ) -> Result<()> {
        self.audited(
            who,
            AuditAction::ContentDelete,
            Some(user.account_id),
            async |change| {
                let mut tx = self.db().begin_write().await?;
                if !store::delete_entry(&mut tx, user.account_id, id).await? {
                    return Err(not_found("entry", id));
                }
                change.commit(tx, None).await?;
                Ok(())
            },
        )
        .await
    }

    /// Creates a category or renames and moves one. A category cannot move under
    /// itself or one of its own subcategories.
    #[tracing::instrument(skip_all)]
    pub async fn save_category(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        id: Option<CategoryId>,
        form: &CategoryForm,
    ) -> Result<CategoryId> {
        self.audited(who, AuditAction::ContentSave, Some(user.account_id), async |change| {
            let category = form.parse()?;
            let mut tx = self.db().begin_write().await?;
            accounts::lock(&mut tx, user.account_id).await?;
            if let Some(parent) = category.parent {
                let ancestors = store::ancestors(&mut tx, user.account_id, parent).await?;
                if ancestors.is_empty() {
                    return Err(Error::invalid(
                        "parent",
                        "The chosen parent category no longer exists; reload and try again.",
                    ));
                }
                if id.is_some_and(|id| ancestors.contains(&id)) {
                    return Err(Error::invalid(
                        "parent",
                        "A category cannot be moved under itself or one of its subcategories.",
                    ));
                }
                // The deepest category this save makes: the parent's level, one for
                // this category, and as many as it has below it (when it moves).
                let below = match id {
                    Some(id) => store::descendants_by_level(&mut tx, user.account_id, id)
                        .await?
                        .len(),
                    None => 0,
                };
                let deepest = ancestors.len() + 1 + below;
                if deepest > MAX_CATEGORY_DEPTH {
                    return Err(Error::invalid(
                        "parent",
                        format!(
                            "The category \"{}\" would be nested {deepest} levels deep; categories \
                             nest at most {MAX_CATEGORY_DEPTH} levels.",
                            quote(&category.name)
                        ),
                    ));
                }
            }
            let saved = match id {
                Some(id) => store::update_category(&mut tx, user.account_id, id, &category)
                    .await
                    .map(|found| found.then_some(id)),
                None => store::insert_category(&mut tx, user.account_id, &category)
                    .await
                    .map(Some),
            };
            let id = match saved {
                Ok(Some(id)) => id,
                Ok(None) => {
                    return Err(not_found(
                        "category",
                        id.map(CategoryId::get).unwrap_or_default(),
                    ));
                }
                Err(e)
                    if is_unique_violation(
                        &e,
                        &[
                            "categories_unique_sibling_name",
                            "categories.name",
                            "categories.account_id",
                        ],
                    ) =>
                {
                    return Err(sibling_name_taken());
                }
                Err(e) => return Err(e.into()),
            };
            change.commit(tx, None).await?;
            Ok(id)
        })
        .await
    }

    /// Deletes a category with its subcategories; entries stay, without it.
    #[tracing::instrument(skip_all)]
    pub async fn delete_category(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        id: CategoryId,
    ) -> Result<()> {
        self.audited(
            who,
            AuditAction::ContentDelete,
            Some(user.account_id),
            async |change| {
                let mut tx = self.db().begin_write().await?;
                if !store::delete_category_subtree(&mut tx, user.account_id, id).await? {
                    return Err(not_found("category", id));
                }
                change.commit(tx, None).await?;
                Ok(())
            },
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_playlist(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        id: Option<PlaylistId>,
        form: &PlaylistForm,
    ) -> Result<PlaylistId> {
        self.audited(
            who,
            AuditAction::ContentSave,
            Some(user.account_id),
            async |change| {
                let playlist = form.parse()?;
                let mut tx = self.db().begin_write().await?;
                accounts::lock(&mut tx, user.account_id).await?;
                for entry in &playlist.entries {
                    if !store::entry_exists(&mut tx, user.account_id, *entry).await? {
                        return Err(Error::invalid(
                            "entries",
                            "One of the chosen entries no longer exists; reload and try again.",
                        ));
                    }
                }
                let id = match id {
                    Some(id) => {
                        if !store::update_playlist(
                            &mut tx,
                            user.account_id,
                            id,
                            &playlist.name,
                            &playlist.description,
                        )
                        .await?
                        {
                            return Err(not_found("playlist", id));
                        }
                        store::set_playlist_entries(
                            &mut tx,
                            user.account_id,
                            id,
                            &playlist.entries,
                        )
                        .await?;
                        id
                    }
                    None => {
                        store::insert_playlist(
                            &mut tx,
                            user.account_id,
                            &playlist.name,
                            &playlist.description,
                            &playlist.entries,
                        )
                        .await?
                    }
                };
                change.commit(tx, None).await?;
                Ok(id)
            },
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn delete_playlist(
        &self,
        who: &AuditContext,
        user: &AccountUser,
        id: PlaylistId,
    ) -> Result<()> {
        self.audited(
            who,
            AuditAction::ContentDelete,
            Some(user.account_id),
            async |change| {
                let mut tx = self.db().begin_write().await?;
                if !store::delete_playlist(&mut tx, user.account_id, id).await? {
                    return Err(not_found("playlist", id));
                }
                change.commit(tx, None).await?;
                Ok(())
            },
        )
        .await
    }
}
