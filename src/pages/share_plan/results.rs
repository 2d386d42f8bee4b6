//! The results of an applied plan, row by row, as their jobs land; exported as CSV.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use ims_api::jobs::{JobKind, TrackedJob};
use ims_api::plan::{self, Change, Outcome};
use yew::prelude::*;

use super::{Prepared, SHOWN};
use crate::download::save_text;
use crate::names::project_label;

/// What the results table reads.
pub struct Applied<'a> {
    pub prepared: &'a Prepared,
    pub removals: bool,
    /// The jobs the plan started.
    pub job_ids: &'a [String],
    pub jobs: &'a [TrackedJob],
    /// Final outcomes by (is a removal, index in its list): the jobs list keeps only the
    /// newest jobs, and a plan may start more than that.
    pub settled: &'a RefCell<HashMap<(bool, usize), Outcome>>,
    pub image_names: &'a Rc<HashMap<String, String>>,
    pub known: &'a Rc<HashMap<String, String>>,
}

pub fn results_view(a: &Applied) -> Html {
    let Applied {
        prepared,
        removals,
        job_ids,
        jobs,
        settled,
        image_names,
        known,
    } = a;
    // The jobs of this plan by image, so each row looks at its own few jobs only.
    let ids: HashSet<&String> = job_ids.iter().collect();
    let mut by_image: HashMap<&str, Vec<&TrackedJob>> = HashMap::new();
    for j in jobs.iter().filter(|j| ids.contains(&j.id)) {
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
        let kind = if removal {
            JobKind::StopSharing
        } else {
            JobKind::Share
        };
        let o = plan::outcome(
            by_image
                .get(c.image.as_str())
                .map_or(&[][..], Vec::as_slice),
            kind,
            &c.image,
            &c.project,
        );
        if o != Outcome::Pending {
            cache.insert((removal, n), o.clone());
        }
        o
    };
    let mut results: Vec<(&Change, &'static str, Outcome)> = prepared
        .diff
        .add
        .iter()
        .enumerate()
        .map(|(n, c)| (c, "share", outcome_of(false, n, c)))
        .collect();
    if *removals {
        results.extend(
            prepared
                .diff
                .remove
                .iter()
                .enumerate()
                .map(|(n, c)| (c, "stop sharing", outcome_of(true, n, c))),
        );
    }
    let plan::Tally {
        done,
        failed,
        pending,
    } = plan::Tally::of(results.iter().map(|r| &r.2));
    let export = {
        let (image_names, known) = ((*image_names).clone(), (*known).clone());
        let text = plan::results_csv(
            &results,
            &|id| image_names.get(id).cloned().unwrap_or_default(),
            &|id| known.get(id).cloned().unwrap_or_default(),
        );
        Callback::from(move |_| {
            let _ = save_text("share-plan-results.csv", "text/csv", &text);
        })
    };
    let mut shown: Vec<&(&Change, &'static str, Outcome)> = results.iter().collect();
    shown.sort_by_key(|(c, _, o)| {
        (
            match o {
                Outcome::Failed(_) => 0,
                Outcome::Pending => 1,
                Outcome::Done(_) => 2,
            },
            c.line,
        )
    });
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
                            <td>{ project_label(known, &c.project) }</td>
                            <td class={format!("result-{}", o.label())}>{ o.label() }</td><td>{ o.message().to_string() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if results.len() > SHOWN { <p class="hint">{ format!("{} more row(s) not shown: the export has them all.", results.len() - SHOWN) }</p> }
        </section>
    }
}
