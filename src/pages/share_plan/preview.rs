//! The preview of a checked plan (to add, to remove, invalid rows) and the carrying out of
//! the plan through the engine once confirmed.

use std::collections::HashMap;
use std::rc::Rc;

use ims_api::apply::{self, Context};
use ims_api::jobs::JobKind;
use ims_api::plan::{Change, PlanDiff};
use ims_api::ApiError;
use yew::prelude::*;

use super::{Prepared, Stage, SHOWN};
use crate::api::Api;
use crate::components::ConfirmDialog;
use crate::hooks::Submission;
use crate::jobs::Engine;
use crate::names::project_label;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub prepared: Rc<Prepared>,
    pub image_names: Rc<HashMap<String, String>>,
    /// Project names, so that the preview is drawn again when they change.
    pub known: Rc<HashMap<String, String>>,
}

#[component]
pub fn Preview(props: &PreviewProps) -> Html {
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
pub fn steps(
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
pub struct Applying {
    pub api: Api,
    pub engine: Engine,
    pub job_ids: UseStateHandle<Vec<String>>,
    pub confirming: UseStateHandle<bool>,
    pub submission: Submission<ApiError>,
    /// The plan carried out, with whether it removed members too.
    pub applied: UseStateHandle<Option<(Rc<Prepared>, bool)>>,
    pub stage: UseStateHandle<Stage>,
    pub with_removals: UseStateHandle<bool>,
}

impl Applying {
    /// "Apply" confirmed: the plan that is ready is carried out, once.
    pub fn confirm(&self) {
        let Stage::Ready(prepared) = &*self.stage else {
            return;
        };
        let removals = *self.with_removals && !prepared.diff.remove.is_empty();
        let (form, prepared_now) = (self.clone(), prepared.clone());
        let started = self.submission.run(async move {
            let result = form.run(&prepared_now, removals).await;
            form.confirming.set(false);
            result
        });
        if started {
            self.applied.set(Some((prepared.clone(), removals)));
        }
    }

    /// Carries the plan out; the rows follow the jobs it started, also when it stopped
    /// half-way.
    pub async fn run(&self, p: &Prepared, removals: bool) -> Result<(), ApiError> {
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

/// "Apply the share plan?": what will be shared, the visibility switches, and the removals
/// only when ticked.
pub fn confirm_view(
    p: &Prepared,
    with_removals: &UseStateHandle<bool>,
    busy: bool,
    confirm: &Callback<()>,
    confirming: &UseStateHandle<bool>,
) -> Html {
    let cancel = {
        let c = confirming.clone();
        Callback::from(move |_| c.set(false))
    };
    let toggle = {
        let w = with_removals.clone();
        Callback::from(move |_| w.set(!*w))
    };
    html! {
        <ConfirmDialog title="Apply the share plan?" confirm_label="Apply" busy={busy} on_confirm={confirm.clone()} on_cancel={cancel}>
            <p>{ format!("Share {} image–project pair(s) from {}.", p.diff.add.len(), p.file) }</p>
            if !p.not_shared.is_empty() {
                <p>{ format!("{} image(s) will be switched to visibility \"shared\" first (Glance adds members only to shared images).", p.not_shared.len()) }</p>
            }
            if !p.diff.remove.is_empty() {
                <label class="danger-choice">
                    <input type="checkbox" checked={**with_removals} onchange={toggle} />
                    { format!(" Also stop sharing {} pair(s): those projects lose access", p.diff.remove.len()) }
                </label>
            }
        </ConfirmDialog>
    }
}
