//! Share plan: a CSV or JSON file that says which image should be shared with which project,
//! read, checked row by row, compared with the members that exist, previewed, and applied only
//! once confirmed, removals with a confirmation of their own. Each row's result shows as its
//! job lands, and exports as CSV.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ims_api::apply::Context;
use ims_api::images::ListScope;
use ims_api::plan::{self, Outcome, PlanDiff, PlanRow, MAX_PLAN_BYTES};
use ims_api::ApiError;
use yew::prelude::*;

use crate::components::error_view;
use crate::download::{picked_file, read_bytes};
use crate::hooks::{use_api, use_image_list, use_submission, wait_view, SameList, Submission};
use crate::jobs::{use_engine, use_jobs};
use crate::names::use_names;

mod check;
mod preview;
mod results;

use preview::{steps, Applying, Preview};

/// Rows shown per table; the rest are counted, and applied and exported all the same.
const SHOWN: usize = 200;

#[derive(Clone, PartialEq)]
struct Prepared {
    file: String,
    rows: usize,
    diff: Rc<PlanDiff>,
    diff_ms: u32,
    /// The images' visibility, for the engine's plan.
    ctx: Context,
    /// Images of the additions still private on Glance: switched to "shared" first.
    not_shared: Vec<String>,
}

#[derive(Clone, PartialEq)]
enum Stage {
    Empty,
    Checking { done: usize, total: usize },
    Failed(ApiError),
    Ready(Rc<Prepared>),
}

/// The file's name and its rows.
type ReadPlan = (String, Rc<Vec<PlanRow>>);

/// What a newly picked file starts afresh: its rows, the check, and the last apply's results.
#[derive(Clone)]
struct NewFile {
    rows: Rc<RefCell<Option<ReadPlan>>>,
    generation: UseStateHandle<u32>,
    file_error: UseStateHandle<Option<String>>,
    stage: UseStateHandle<Stage>,
    applied: UseStateHandle<Option<(Rc<Prepared>, bool)>>,
    job_ids: UseStateHandle<Vec<String>>,
    apply: Submission<ApiError>,
    settled: Rc<RefCell<HashMap<(bool, usize), Outcome>>>,
}

impl NewFile {
    async fn read(self, file: web_sys::File) {
        let read = read_bytes(&file, MAX_PLAN_BYTES)
            .await
            .and_then(|b| plan::read(&b));
        self.stage.set(Stage::Empty);
        self.settled.borrow_mut().clear();
        self.applied.set(None);
        self.job_ids.set(Vec::new());
        self.apply.clear_error();
        match read {
            Err(e) => {
                *self.rows.borrow_mut() = None;
                self.file_error.set(Some(e));
            }
            Ok(r) => {
                self.file_error.set(None);
                *self.rows.borrow_mut() = Some((file.name(), Rc::new(r)));
                self.generation.set(*self.generation + 1);
            }
        }
    }
}

#[component]
pub fn SharePlan() -> Html {
    let api = use_api();
    let jobs = use_jobs();
    let engine = use_engine();
    let names = use_names();
    let (list, reload_list, list_wait) = use_image_list(
        &api,
        Some(ListScope::Owned {
            project_id: api.project_id.clone(),
        }),
        0,
    );
    let rows = use_mut_ref(|| None::<ReadPlan>);
    // The check in progress: a newer file makes an older check's results stale.
    let latest = use_mut_ref(|| 0u32);
    let generation = use_state(|| 0u32);
    let file_error = use_state(|| None::<String>);
    let stage = use_state(|| Stage::Empty);
    let confirming = use_state(|| false);
    let with_removals = use_state(|| false);
    let apply = use_submission::<ApiError>();
    let busy = apply.busy();
    let job_ids = use_state(Vec::<String>::new);
    let applied = use_state(|| None::<(Rc<Prepared>, bool)>);
    // Final outcomes by (is a removal, index in its list), for the plan applied last.
    let settled = use_mut_ref(HashMap::<(bool, usize), Outcome>::new);

    // Keyed on the list itself (by address), so a reload that renames images is seen too.
    let image_names: Rc<HashMap<String, String>> =
        use_memo(SameList(list.images.clone()), |images| {
            images
                .0
                .iter()
                .map(|i| (i.id.clone(), i.display_name().to_string()))
                .collect()
        });

    // Compares the plan with the members once the rows and the image list are both in.
    check::use_plan_check(
        &api,
        &list,
        &names,
        check::Check {
            rows: rows.clone(),
            stage: stage.clone(),
            latest: latest.clone(),
            generation: *generation,
        },
    );

    let on_file = {
        let reset = NewFile {
            rows: rows.clone(),
            generation: generation.clone(),
            file_error: file_error.clone(),
            stage: stage.clone(),
            applied: applied.clone(),
            job_ids: job_ids.clone(),
            apply: apply.clone(),
            settled: settled.clone(),
        };
        Callback::from(move |e: Event| {
            let Some(file) = picked_file(&e) else { return };
            if busy {
                return;
            }
            wasm_bindgen_futures::spawn_local(reset.clone().read(file));
        })
    };

    let confirm = {
        let form = Applying {
            api: apply.api(&api),
            engine,
            job_ids: job_ids.clone(),
            confirming: confirming.clone(),
            submission: apply.clone(),
            applied: applied.clone(),
            stage: stage.clone(),
            with_removals: with_removals.clone(),
        };
        Callback::from(move |_| form.confirm())
    };

    let checking = checking_view(
        &stage,
        rows.borrow().is_some() && list.loading,
        list.images.len(),
    );
    let retry_check = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let applied_view = applied.as_ref().map(|(prepared, removals)| {
        results::results_view(&results::Applied {
            prepared,
            removals: *removals,
            job_ids: &job_ids,
            jobs: &jobs.list,
            settled: &settled,
            image_names: &image_names,
            known: &names.known,
        })
    });

    html! {
        <section aria-labelledby="plan-heading">
            <h1 id="plan-heading">{"Share plan"}</h1>
            <p class="hint">{"A CSV or JSON file with the columns image (ID or exact name), project (ID or a name you know) and state (shared or not-shared). A header row is required; lines starting with # are comments. Nothing is sent until you confirm."}</p>
            <div class="field">
                <label for="plan-file">{"Plan file (CSV or JSON, at most 10 MB)"}</label>
                <input id="plan-file" type="file" accept=".csv,.json,text/csv,application/json" onchange={on_file} disabled={busy}
                    aria-invalid={file_error.is_some().to_string()} aria-describedby="plan-file-error" />
                <p id="plan-file-error" class="field-error" role="alert">{ (*file_error).clone().unwrap_or_default() }</p>
            </div>
            if let Some(e) = &list.error {
                { error_view(e, "Listing images failed", Some(reload_list.clone())) }
            }
            <>{ for checking }</>
            <>{ wait_view(&list_wait) }</>
            if let Stage::Failed(e) = &*stage {
                { error_view(e, "Reading the members failed", Some(retry_check)) }
            }
            if let Stage::Ready(p) = &*stage {
                <Preview prepared={p.clone()} image_names={image_names.clone()} known={names.known.clone()} />
                <div class="actions">
                    <button type="button" class="primary" disabled={busy || applied.is_some() || (p.diff.add.is_empty() && p.diff.remove.is_empty())}
                        onclick={{ let c = confirming.clone(); move |_| c.set(true) }}>{"Apply plan…"}</button>
                </div>
                if *confirming {
                    { preview::confirm_view(p, &with_removals, busy, &confirm, &confirming) }
                }
            }
            <>{ apply.wait_view() }</>
            if let Some(e) = apply.error() {
                { error_view(e, "Applying the plan stopped", Some(confirm.reform(|_| ()))) }
            }
            <>{ for applied_view }</>
        </section>
    }
}

/// The check's progress, or the wait for the image list it needs.
fn checking_view(stage: &Stage, waiting_for_images: bool, images_so_far: usize) -> Option<Html> {
    match stage {
        Stage::Checking { done, total } => Some(html! {
            <div class="toolbar">
                <progress max={total.to_string()} value={done.to_string()} aria-label="Reading members">{ format!("{done} of {total}") }</progress>
                <span role="status">{ format!("Reading the members of {done} of {total} image(s)…") }</span>
            </div>
        }),
        _ if waiting_for_images => Some(
            html! { <p role="status">{ format!("Loading your images ({images_so_far} so far)…") }</p> },
        ),
        _ => None,
    }
}
