//! The small live panel of running and recent jobs, on every page.

use yew::prelude::*;
use yew_router::prelude::Link;

use crate::jobs::use_jobs;
use crate::routes::Route;

#[component]
pub fn JobsPanel() -> Html {
    let jobs = use_jobs();
    let recent: Vec<_> = jobs.list.iter().take(4).collect();
    if recent.is_empty() {
        return Html::default();
    }
    html! {
        <aside class="jobs-panel" aria-label="Job activity">
            <h2>{"Jobs"}</h2>
            <ul>
                { for recent.iter().map(|j| html! {
                    <li class={format!("job-{}", j.state.label().to_lowercase().replace([' ', '?'], ""))}>
                        <span>{ format!("{} · {} image(s) × {} project(s)", j.kind.label(), j.images.len(), j.projects.len()) }</span>
                        <strong>{ j.state.label() }</strong>
                        if j.is_client() && !j.state.is_final() {
                            <progress max="100" value={j.progress_percent().to_string()} aria-label="Progress"></progress>
                        }
                        // Where the job stands while it is not going well: a failed check,
                        // throttling. Said here, where the job is watched.
                        if let (false, Some(note)) = (j.state.is_final(), &j.last_error) {
                            <p class="hint">{ note }</p>
                        }
                    </li>
                }) }
            </ul>
            <Link<Route> to={Route::Jobs}>{"All jobs"}</Link<Route>>
        </aside>
    }
}
