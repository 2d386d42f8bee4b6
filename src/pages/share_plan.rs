//! Share plan: a CSV or JSON file that says which image should be shared with which project,
//! read, checked row by row, compared with the members that exist, previewed, and applied only
//! once confirmed, removals with a confirmation of their own. Each row's result shows as its
//! job lands, and exports as CSV.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use ims_api::apply::{self, Context};
use ims_api::images::ListScope;
use ims_api::jobs::{JobKind, TrackedJob};
use ims_api::plan::{self, Change, Names, Outcome, PlanDiff, PlanRow, MAX_PLAN_BYTES};
use ims_api::ApiError;
use yew::prelude::*;

use crate::api::Api;
use crate::components::{error_view, ConfirmDialog};
use crate::download::{picked_file, read_bytes, save_text};
use crate::hooks::{use_api, use_image_list, use_submission, wait_view, SameList, Submission};
use crate::jobs::{use_engine, use_jobs, Engine};
use crate::names::{project_label, use_names};
use crate::session::context::use_session;

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
    {
        let (api, stage, rows, names, images, latest) = (
            api.clone(),
            stage.clone(),
            rows.clone(),
            names.clone(),
            list.images.clone(),
            latest.clone(),
        );
        let ready = !list.loading && list.error.is_none();
        let own_account = use_session()
            .info()
            .map(|i| i.domain_id.clone())
            .unwrap_or_default();
        use_effect_with((*generation, ready), move |(gen, ready)| {
            let taken = rows.borrow().clone();
            if let (true, Some((file, rows))) = (*ready, taken) {
                let gen = *gen;
                *latest.borrow_mut() = gen;
                let set = move |s: Stage| {
                    if *latest.borrow() == gen {
                        stage.set(s);
                    }
                };
                let plan_names = Names {
                    images: images
                        .iter()
                        .map(|i| (i.id.clone(), i.display_name().to_string()))
                        .collect(),
                    projects: names
                        .known
                        .iter()
                        .map(|(id, n)| (id.clone(), n.clone()))
                        .collect(),
                    own_project: api.project_id.clone(),
                    own_account: own_account.clone(),
                    kinds: api.member_kinds(),
                };
                let ctx = Context::of(images.iter());
                wasm_bindgen_futures::spawn_local(async move {
                    let wanted = plan::images_named(&rows, &plan_names);
                    let mut current: HashMap<String, HashSet<String>> = HashMap::new();
                    set(Stage::Checking {
                        done: 0,
                        total: wanted.len(),
                    });
                    // Read as many at a time as native calls may run in parallel.
                    let mut done = 0;
                    for batch in wanted.chunks(api.config.concurrency.max(1)) {
                        let reads = batch.iter().map(|image| {
                            let visibility = ctx.visibility.get(image).cloned();
                            let api = api.clone();
                            async move { (image, api.members(image, visibility.as_ref()).await) }
                        });
                        for (image, answer) in futures_util::future::join_all(reads).await {
                            match answer {
                                Ok(l) => {
                                    current.insert(
                                        image.clone(),
                                        l.iter().map(|m| m.target_id().to_string()).collect(),
                                    );
                                }
                                Err(e) => {
                                    set(Stage::Failed(e));
                                    return;
                                }
                            }
                        }
                        done += batch.len();
                        set(Stage::Checking {
                            done,
                            total: wanted.len(),
                        });
                    }
                    let started = js_sys::Date::now();
                    let diff = plan::diff(&rows, &plan_names, &current);
                    let diff_ms = (js_sys::Date::now() - started) as u32;
                    let not_shared = steps(&api, &diff, &ctx, false)
                        .map(|s| {
                            apply::switched(&s)
                                .into_iter()
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    set(Stage::Ready(Rc::new(Prepared {
                        file,
                        rows: rows.len(),
                        diff: Rc::new(diff),
                        diff_ms,
                        ctx,
                        not_shared,
                    })));
                });
            }
        });
    }

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
        };
        let (apply, applied, stage, with_removals) = (
            apply.clone(),
            applied.clone(),
            stage.clone(),
            with_removals.clone(),
        );
        Callback::from(move |_| {
            let Stage::Ready(prepared) = &*stage else {
                return;
            };
            let removals = *with_removals && !prepared.diff.remove.is_empty();
            let (form, prepared_now) = (form.clone(), prepared.clone());
            let started = apply.run(async move {
                let result = form.run(&prepared_now, removals).await;
                form.confirming.set(false);
                result
            });
            if started {
                applied.set(Some((prepared.clone(), removals)));
            }
        })
    };

    let checking = match &*stage {
        Stage::Checking { done, total } => Some(html! {
            <div class="toolbar">
                <progress max={total.to_string()} value={done.to_string()} aria-label="Reading members">{ format!("{done} of {total}") }</progress>
                <span role="status">{ format!("Reading the members of {done} of {total} image(s)…") }</span>
            </div>
        }),
        _ if rows.borrow().is_some() && list.loading => Some(
            html! { <p role="status">{ format!("Loading your images ({} so far)…", list.images.len()) }</p> },
        ),
        _ => None,
    };
    let retry_check = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let applied_view = applied.as_ref().map(|(prepared, removals)| {
        // The jobs of this plan by image, so each row looks at its own few jobs only.
        let ids: HashSet<&String> = job_ids.iter().collect();
        let mut by_image: HashMap<&str, Vec<&TrackedJob>> = HashMap::new();
        for j in jobs.list.iter().filter(|j| ids.contains(&j.id)) {
            for i in &j.images {
                by_image.entry(i.as_str()).or_default().push(j);
            }
        }
        // A row's final outcome is kept here: the jobs list keeps only the newest jobs, and
        // a plan may start more than that.
        let mut cache = settled.borrow_mut();
        let mut outcome_of = |removal: bool, n: usize, c: &Change| {
            if let Some(o) = cache.get(&(removal, n)) {
                return o.clone();
            }
            let kind = if removal { JobKind::StopSharing } else { JobKind::Share };
            let o = plan::outcome(by_image.get(c.image.as_str()).map_or(&[][..], Vec::as_slice), kind, &c.image, &c.project);
            if o != Outcome::Pending {
                cache.insert((removal, n), o.clone());
            }
            o
        };
        let mut results: Vec<(&Change, &'static str, Outcome)> = prepared.diff.add.iter().enumerate().map(|(n, c)| (c, "share", outcome_of(false, n, c))).collect();
        if *removals {
            results.extend(prepared.diff.remove.iter().enumerate().map(|(n, c)| (c, "stop sharing", outcome_of(true, n, c))));
        }
        let plan::Tally { done, failed, pending } = plan::Tally::of(results.iter().map(|r| &r.2));
        let export = {
            let (image_names, known) = (image_names.clone(), names.known.clone());
            let text = plan::results_csv(&results, &|id| image_names.get(id).cloned().unwrap_or_default(), &|id| known.get(id).cloned().unwrap_or_default());
            Callback::from(move |_| {
                let _ = save_text("share-plan-results.csv", "text/csv", &text);
            })
        };
        let mut shown: Vec<&(&Change, &'static str, Outcome)> = results.iter().collect();
        shown.sort_by_key(|(c, _, o)| (match o { Outcome::Failed(_) => 0, Outcome::Pending => 1, Outcome::Done(_) => 2 }, c.line));
        html! {
            <section aria-labelledby="results-heading" class="panel">
                <h2 id="results-heading">{"Results"}</h2>
                <progress max={results.len().to_string()} value={(done + failed).to_string()} aria-label="Plan progress" />
                <p role="status" data-testid="plan-progress">{ format!("{done} done, {failed} failed, {pending} pending of {} change(s).", results.len()) }</p>
                <button type="button" onclick={export}>{"Export results as CSV"}</button>
                <table aria-label="Results by row">
                    <thead><tr><th scope="col">{"Line"}</th><th scope="col">{"Action"}</th><th scope="col">{"Image"}</th><th scope="col">{"Project"}</th><th scope="col">{"Result"}</th><th scope="col">{"Message"}</th></tr></thead>
                    <tbody>
                        { for shown.iter().take(SHOWN).map(|(c, action, o)| html! {
                            <tr>
                                <td>{ c.line }</td><td>{ *action }</td>
                                <td>{ image_names.get(&c.image).cloned().unwrap_or_else(|| c.image.clone()) }</td>
                                <td>{ project_label(&names.known, &c.project) }</td>
                                <td class={format!("result-{}", o.label())}>{ o.label() }</td><td>{ o.message().to_string() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if results.len() > SHOWN { <p class="hint">{ format!("{} more row(s) not shown: the export has them all.", results.len() - SHOWN) }</p> }
            </section>
        }
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
                    <ConfirmDialog title="Apply the share plan?" confirm_label="Apply" busy={busy} on_confirm={confirm.clone()} on_cancel={{ let c = confirming.clone(); Callback::from(move |_| c.set(false)) }}>
                        <p>{ format!("Share {} image–project pair(s) from {}.", p.diff.add.len(), p.file) }</p>
                        if !p.not_shared.is_empty() {
                            <p>{ format!("{} image(s) will be switched to visibility \"shared\" first (Glance adds members only to shared images).", p.not_shared.len()) }</p>
                        }
                        if !p.diff.remove.is_empty() {
                            <label class="danger-choice">
                                <input type="checkbox" checked={*with_removals} onchange={{ let w = with_removals.clone(); move |_| w.set(!*w) }} />
                                { format!(" Also stop sharing {} pair(s): those projects lose access", p.diff.remove.len()) }
                            </label>
                        }
                    </ConfirmDialog>
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

#[derive(Properties, PartialEq)]
struct PreviewProps {
    prepared: Rc<Prepared>,
    image_names: Rc<HashMap<String, String>>,
    /// Project names, so that the preview is drawn again when they change.
    known: Rc<HashMap<String, String>>,
}

#[component]
fn Preview(props: &PreviewProps) -> Html {
    let p = &props.prepared;
    let d = &p.diff;
    let image = |id: &str| {
        props
            .image_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    let table = |label: &'static str, changes: &[Change]| {
        html! {
            <>
                <table aria-label={label}>
                    <thead><tr><th scope="col">{"Line"}</th><th scope="col">{"Image"}</th><th scope="col">{"Project"}</th></tr></thead>
                    <tbody>
                        { for changes.iter().take(SHOWN).map(|c| html! {
                            <tr><td>{ c.line }</td><td>{ image(&c.image) }</td><td>{ project_label(&props.known, &c.project) }</td></tr>
                        }) }
                    </tbody>
                </table>
                if changes.len() > SHOWN { <p class="hint">{ format!("and {} more", changes.len() - SHOWN) }</p> }
            </>
        }
    };
    html! {
        <section aria-labelledby="preview-heading" class="panel">
            <h2 id="preview-heading">{"Preview"}</h2>
            <p role="status" data-testid="plan-summary">
                { format!("{}: {} row(s) — to add {}, to remove {}, unchanged {}, invalid {}.", p.file, p.rows, d.add.len(), d.remove.len(), d.unchanged, d.invalid.len()) }
            </p>
            <p class="hint">{ format!("Compared with the current members in {} ms.", p.diff_ms) }</p>
            if !d.invalid.is_empty() {
                <h3>{ format!("Invalid ({}): these rows are skipped", d.invalid.len()) }</h3>
                <table aria-label="Invalid rows">
                    <thead><tr><th scope="col">{"Line"}</th><th scope="col">{"Problem"}</th></tr></thead>
                    <tbody>{ for d.invalid.iter().take(SHOWN).map(|r| html! { <tr><td>{ r.line }</td><td>{ &r.message }</td></tr> }) }</tbody>
                </table>
                if d.invalid.len() > SHOWN { <p class="hint">{ format!("and {} more", d.invalid.len() - SHOWN) }</p> }
            }
            if !d.add.is_empty() { <h3>{ format!("To add ({})", d.add.len()) }</h3>{ table("To add", &d.add) } }
            if !d.remove.is_empty() { <h3>{ format!("To remove ({})", d.remove.len()) }</h3>{ table("To remove", &d.remove) } }
        </section>
    }
}

/// The engine's plan of a diff: the additions, then (when asked) the removals.
fn steps(
    api: &Api,
    diff: &PlanDiff,
    ctx: &Context,
    removals: bool,
) -> Result<Vec<apply::Step>, apply::Unsupported> {
    let pairs = |changes: &[Change]| changes.iter().map(Change::target).collect::<Vec<_>>();
    let mut changes = vec![apply::Change {
        kind: JobKind::Share,
        pairs: pairs(&diff.add),
    }];
    if removals {
        changes.push(apply::Change {
            kind: JobKind::StopSharing,
            pairs: pairs(&diff.remove),
        });
    }
    apply::plan(api.calls(), &changes, ctx)
}

/// What the confirmation needs, cloned once.
#[derive(Clone)]
struct Applying {
    api: Api,
    engine: Engine,
    job_ids: UseStateHandle<Vec<String>>,
    confirming: UseStateHandle<bool>,
}

impl Applying {
    /// Carries the plan out; the rows follow the jobs it started, also when it stopped
    /// half-way.
    async fn run(&self, p: &Prepared, removals: bool) -> Result<(), ApiError> {
        let steps = steps(&self.api, &p.diff, &p.ctx, removals).map_err(|e| ApiError::Invalid {
            message: e.to_string(),
        })?;
        let result = self.engine.run(&self.api, steps).await;
        self.job_ids.set(match &result {
            Ok(started) => started.clone(),
            Err(_) => self.engine.started(),
        });
        result.map(|_| ())
    }
}
