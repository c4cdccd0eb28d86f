//! Bulk actions on the Multi Account tab: the rows' checkboxes, the bar that acts on
//! what they select, and the panel that follows the job on the server.

use leptos::prelude::*;

use umbrella::domain::AccountAction;
use umbrella::domain::bulk::{BulkJobView, BulkOutcome, bulk_question, thousands};

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::hydrated::{island_ready, needs_wasm};
use crate::list_params::ListParams;
use crate::server_fns::bulk::{
    BulkSelectionSize, DismissBulkJob, StartBulkAction, current_bulk_job,
};

/// What the administrator has ticked: rows of the page, or every account the
/// filter matches. The checkboxes and the bar are islands of their own; they share
/// the page's one selection.
#[derive(Clone, Copy)]
pub struct Selection {
    ids: RwSignal<Vec<i64>>,
    all_matching: RwSignal<bool>,
}

impl Selection {
    /// The page's selection: in the browser one for the page, whichever island asks.
    /// On the server a fresh one each time (nothing is ticked there): a static would
    /// keep one request's subscribers for the next.
    pub fn of_page() -> Self {
        #[cfg(feature = "hydrate")]
        {
            thread_local! {
                // Owned by no island: the same values whichever island asks.
                static PAGE: (ArcRwSignal<Vec<i64>>, ArcRwSignal<bool>) = Default::default();
            }
            PAGE.with(|(ids, all_matching)| Self {
                ids: ids.clone().into(),
                all_matching: all_matching.clone().into(),
            })
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Self {
                ids: RwSignal::new(Vec::new()),
                all_matching: RwSignal::new(false),
            }
        }
    }

    pub fn clear(&self) {
        self.ids.set(Vec::new());
        self.all_matching.set(false);
    }

    fn contains(&self, id: i64) -> bool {
        self.all_matching.get() || self.ids.with(|ids| ids.contains(&id))
    }

    fn toggle(&self, id: i64, on: bool, page: &[i64]) {
        if self.all_matching.get_untracked() {
            // Unticking one row of "all matching" leaves the rest of the page ticked.
            self.all_matching.set(false);
            self.ids.set(page.to_vec());
        }
        self.ids.update(|ids| {
            ids.retain(|other| *other != id);
            if on {
                ids.push(id);
            }
        });
    }

    fn whole_page(&self, page: &[i64]) -> bool {
        !page.is_empty()
            && (self.all_matching.get()
                || self.ids.with(|ids| page.iter().all(|id| ids.contains(id))))
    }
}

/// The header's "Select all on this page" checkbox.
#[island]
pub fn SelectPage(page: Vec<i64>) -> impl IntoView {
    island_ready();
    let selection = Selection::of_page();
    let ids = page.clone();
    let checked = move || selection.whole_page(&ids);
    view! {
        <label class="select-box">
            <input
                type="checkbox"
                disabled=needs_wasm()
                prop:checked=checked
                on:change=move |ev| {
                    if event_target_checked(&ev) {
                        selection.ids.set(page.clone());
                    } else {
                        selection.clear();
                    }
                }
            />
            <span class="visually-hidden">"Select all on this page"</span>
        </label>
    }
}

/// A row's "Select <Account Name>" checkbox.
#[island]
pub fn SelectRow(id: i64, name: String, page: Vec<i64>) -> impl IntoView {
    island_ready();
    let selection = Selection::of_page();
    let checked = move || selection.contains(id);
    view! {
        <label class="select-box">
            <input
                type="checkbox"
                disabled=needs_wasm()
                prop:checked=checked
                on:change=move |ev| selection.toggle(id, event_target_checked(&ev), &page)
            />
            <span class="visually-hidden">{format!("Select {name}")}</span>
        </label>
    }
}

/// The organization's bulk job, followed every half second while it runs, and the
/// bar that starts one. A job's end loads the page again, so that the list shows
/// the accounts as the job left them (the table is the server's).
#[island]
pub fn BulkArea(
    params: ListParams,
    page: Vec<i64>,
    /// Whether the filter may match more than this page shows.
    more_pages: bool,
    /// The job as the page was drawn.
    job: Option<BulkJobView>,
) -> impl IntoView {
    island_ready();
    let running = job.as_ref().is_some_and(|job| !job.finished);
    let job = RwSignal::new(job);
    // Effects run in the browser only.
    Effect::new(move |_| {
        if running {
            follow(job, POLL_EVERY);
        }
    });
    view! {
        {move || {
            job.get()
                .map(|shown| {
                    view! {
                        <BulkJobPanel
                            job=shown
                            on_dismissed=Callback::new(move |_| job.set(None))
                        />
                    }
                })
        }}
        <BulkBar
            params
            page
            more_pages
            on_started=Callback::new(move |_| follow(job, std::time::Duration::ZERO))
        />
    }
}

const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Asks for the job after `delay`, and again every half second while it runs.
fn follow(job: RwSignal<Option<BulkJobView>>, delay: std::time::Duration) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                match current_bulk_job().await {
                    Ok(Some(now)) if now.finished => crate::here::reload(),
                    Ok(Some(now)) => {
                        job.set(Some(now));
                        follow(job, POLL_EVERY);
                    }
                    Ok(None) => job.set(None),
                    // The panel keeps what it last showed; a reload asks again.
                    Err(_) => {}
                }
            });
        },
        delay,
    );
}

/// The bar above the table once something is selected: how much, "Select all N
/// matching", and the three actions, each behind a confirmation that names the count.
#[component]
fn BulkBar(
    params: ListParams,
    page: Vec<i64>,
    /// Whether the filter may match more than this page shows.
    more_pages: bool,
    on_started: Callback<()>,
) -> impl IntoView {
    let selection = Selection::of_page();
    let size = ServerAction::<BulkSelectionSize>::new();
    let start = ServerAction::<StartBulkAction>::new();
    let confirming = RwSignal::new(None::<AccountAction>);
    let error = RwSignal::new(None::<String>);
    let filter = (params.status.clone(), params.mode.clone(), params.q.clone());
    let page_len = page.len() as i64;
    let whole_page = {
        let page = page.clone();
        move || selection.whole_page(&page)
    };
    // How many the filter matches, asked once the whole page is ticked.
    {
        let filter = filter.clone();
        let whole_page = whole_page.clone();
        Effect::new(move |asked: Option<bool>| {
            let now = whole_page() && more_pages;
            if now && asked != Some(true) && size.value().get_untracked().is_none() {
                size.dispatch(BulkSelectionSize {
                    status: ListParams::optional(&filter.0),
                    mode: ListParams::optional(&filter.1),
                    q: ListParams::optional(&filter.2),
                });
            }
            now
        });
    }
    let matching = move || size.value().get().and_then(Result::ok);
    let count = move || {
        if selection.all_matching.get() {
            matching().unwrap_or_default()
        } else {
            selection.ids.with(Vec::len) as i64
        }
    };
    Effect::new(move |_| match start.value().get() {
        Some(Ok(_)) => {
            confirming.set(None);
            error.set(None);
            selection.clear();
            on_started.run(());
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let run = Callback::new(move |action: AccountAction| {
        let all = selection.all_matching.get_untracked();
        let ids = selection.ids.get_untracked();
        start.dispatch(StartBulkAction {
            action: action.as_param().to_owned(),
            partner_ids: (!all)
                .then(|| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
            all_matching: all.then(|| "true".to_owned()),
            status: ListParams::optional(&filter.0),
            mode: ListParams::optional(&filter.1),
            q: ListParams::optional(&filter.2),
        });
    });

    view! {
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="region" aria-label="Selected accounts">
                <p class="bulk-count">
                    {move || {
                        if selection.all_matching.get() {
                            format!("All {} matching accounts selected.", thousands(count()))
                        } else {
                            format!("{} selected.", thousands(count()))
                        }
                    }}
                </p>
                {
                    let whole_page = whole_page.clone();
                    move || {
                        matching()
                            .filter(|n| {
                                *n > page_len && whole_page() && !selection.all_matching.get()
                            })
                            .map(|n| {
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| selection.all_matching.set(true)
                                    >
                                        {format!("Select all {} matching", thousands(n))}
                                    </button>
                                }
                            })
                    }
                }
                {AccountAction::ALL
                    .into_iter()
                    .map(|action| {
                        view! {
                            <button
                                type="button"
                                class=if action == AccountAction::Unblock {
                                    "secondary"
                                } else {
                                    "danger"
                                }
                                on:click=move |_| {
                                    error.set(None);
                                    confirming.set(Some(action));
                                }
                            >
                                {format!("{} selected", action.label())}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </Show>
        {move || {
            confirming
                .get()
                .map(|action| {
                    let message = format!(
                        "{} Accounts this does not apply to (the parent, templates, those \
                         already {}) are skipped and listed at the end.",
                        action.confirmation().unwrap_or_default(),
                        action.verb(),
                    );
                    view! {
                        <ConfirmDialog
                            title=bulk_question(action, count())
                            message=message.trim_start().to_owned()
                            confirm_label=action.label().to_owned()
                            pending=start.pending()
                            error=error
                            on_confirm=Callback::new(move |_| run.run(action))
                            on_cancel=Callback::new(move |_| confirming.set(None))
                        />
                    }
                })
        }}
    }
}

/// The job's panel: a progress bar while it runs, then the result per account.
#[component]
fn BulkJobPanel(job: BulkJobView, on_dismissed: Callback<()>) -> impl IntoView {
    let dismiss = ServerAction::<DismissBulkJob>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = dismiss.value().get() {
            on_dismissed.run(());
        }
    });
    let id = job.id;
    let shown = job.results.len() as i64;
    let status = if job.finished {
        job.summary()
    } else {
        job.progress_label()
    };
    view! {
        <section class="bulk-job" aria-labelledby="bulk-job-title">
            <h2 id="bulk-job-title">
                {if job.finished { "Bulk action finished" } else { "Bulk action running" }}
            </h2>
            <label for="bulk-progress">{job.progress_label()}</label>
            <progress id="bulk-progress" max=job.total value=job.processed>
                {format!("{} of {}", job.processed, job.total)}
            </progress>
            <p role="status" aria-live="polite">
                {status}
            </p>
            {job
                .finished
                .then(|| {
                    view! {
                        <div class="table-scroll">
                            <table class="bulk-results" aria-label="Results">
                                <thead>
                                    <tr>
                                        <th scope="col">"Account Name"</th>
                                        <th scope="col">"Partner ID"</th>
                                        <th scope="col">"Result"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {job
                                        .results
                                        .iter()
                                        .map(|result| {
                                            let outcome = match &result.outcome {
                                                BulkOutcome::Done => "Done".to_owned(),
                                                BulkOutcome::Skipped(reason) => format!("Skipped: {reason}"),
                                            };
                                            view! {
                                                <tr>
                                                    <th scope="row">{result.name.clone()}</th>
                                                    <td>{result.partner_id}</td>
                                                    <td>{outcome}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {(shown < job.total)
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        {format!(
                                            "Showing the first {} of {} results, skipped ones first; \
                                             the Audit tab lists every change.",
                                            thousands(shown),
                                            thousands(job.total),
                                        )}
                                    </p>
                                }
                            })}
                        <button
                            type="button"
                            class="secondary"
                            disabled=needs_wasm()
                            on:click=move |_| {
                                dismiss
                                    .dispatch(DismissBulkJob {
                                        id: id.to_string(),
                                    });
                            }
                        >
                            "Dismiss"
                        </button>
                    }
                })}
        </section>
    }
}
