//! One image: its members with their status and dates; add one member and see the record
//! the service returns; remove one or several. Refreshes when a job on this image ends.

use std::collections::HashSet;

use ims_api::ids::is_project_id;
use ims_api::images::{get_image, human_size, Image};
use ims_api::members::{self, Member, MemberList};
use ims_api::ApiError;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::components::{error_view, ConfirmDialog};
use crate::hooks::{use_api, use_submission, use_wait, wait_view};
use crate::jobs::use_jobs;
use crate::names::{project_label, use_names};
use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct ImageDetailProps {
    pub id: String,
}

#[component]
pub fn ImageDetail(props: &ImageDetailProps) -> Html {
    let api = use_api();
    let names = use_names();
    let jobs = use_jobs();
    let image = use_state(|| None::<Result<Image, ApiError>>);
    let wait = use_wait();
    let members = use_state(|| None::<Result<Vec<Member>, ApiError>>);
    let reload = use_state(|| 0u32);
    let selected = use_state(HashSet::<String>::new);
    let new_member = use_state(String::new);
    // Adding: a typed ID's problem or the request's failure, next to the field.
    let adding = use_submission::<String>();
    let added = use_state(|| None::<Member>);
    let confirm_remove = use_state(|| false);
    // Removing: the members that were not removed, and why.
    let removing = use_submission::<String>();
    // Refresh when a job that touched this image ends.
    let job_tick = if jobs.last_ended_images.contains(&props.id) {
        jobs.ended
    } else {
        0
    };
    {
        let (api, image, members, id) = (
            api.watched(&wait),
            image.clone(),
            members.clone(),
            props.id.clone(),
        );
        let wait = wait.clone();
        use_effect_with(
            (id, *reload, job_tick, api.token.clone()),
            move |(id, _, _, _)| {
                let id = id.clone();
                wait.start_operation();
                wasm_bindgen_futures::spawn_local(async move {
                    let found = api.read::<Image>(&get_image(&id)).await;
                    let visibility = found.as_ref().ok().and_then(|i| i.visibility.clone());
                    image.set(Some(found));
                    members.set(Some(api.members(&id, visibility.as_ref()).await));
                });
            },
        );
    }
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let add = {
        let (api, new_member, adding, added, reload, id) = (
            api.clone(),
            new_member.clone(),
            adding.clone(),
            added.clone(),
            reload.clone(),
            props.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let pid = new_member.trim().to_ascii_lowercase();
            if !is_project_id(&pid) && api.is_ims() {
                adding.fail("Enter one project ID: 32 hex characters.".into());
                return;
            }
            if pid.is_empty() {
                adding.fail("Enter a project ID.".into());
                return;
            }
            if pid == api.project_id {
                adding.fail(ims_api::error::own_project_sentence());
                return;
            }
            let (api, new_member, added, reload, id) = (
                api.clone(),
                new_member.clone(),
                added.clone(),
                reload.clone(),
                id.clone(),
            );
            let api = adding.api(&api);
            adding.run(async move {
                let m = api
                    .add_member(&id, &pid)
                    .await
                    .map_err(|e| e.user_message())?;
                added.set(Some(m));
                new_member.set(String::new());
                reload.set(*reload + 1);
                Ok(())
            });
        })
    };
    let remove = {
        let (api, selected, removing, confirm_remove, reload, id) = (
            api.clone(),
            selected.clone(),
            removing.clone(),
            confirm_remove.clone(),
            reload.clone(),
            props.id.clone(),
        );
        Callback::from(move |_| {
            let (api, selected, confirm_remove, reload, id) = (
                api.clone(),
                selected.clone(),
                confirm_remove.clone(),
                reload.clone(),
                id.clone(),
            );
            let api = removing.api(&api);
            removing.run(async move {
                let mut failures = Vec::new();
                let mut left = (*selected).clone();
                for pid in selected.iter() {
                    match api.send(&members::remove(&id, pid)).await {
                        Ok(_) => {
                            left.remove(pid);
                        }
                        Err(e) => failures.push(format!("{pid}: {}", e.user_message())),
                    }
                }
                // Trust, then verify: a member the service said it removed but still lists is
                // named, so the page never claims what did not happen.
                if let Ok(list) = api.read::<MemberList>(&members::list(&id)).await {
                    let claimed: Vec<String> = selected
                        .iter()
                        .filter(|p| !left.contains(*p))
                        .cloned()
                        .collect();
                    for pid in &claimed {
                        if list.members.iter().any(|m| &m.member_id == pid) {
                            failures.push(format!("{pid}: the service answered as if removed, but it is still a member"));
                            left.insert(pid.clone());
                        }
                    }
                }
                confirm_remove.set(false);
                selected.set(left);
                reload.set(*reload + 1);
                if failures.is_empty() {
                    Ok(())
                } else {
                    Err(failures.join("; "))
                }
            });
        })
    };
    let title = match &*image {
        Some(Ok(i)) => i.display_name().to_string(),
        _ => props.id.clone(),
    };
    let member_rows = |list: &Vec<Member>| {
        list.iter().map(|m| {
            let pid = m.member_id.clone();
            let checked = selected.contains(&pid);
            let toggle = {
                let selected = selected.clone();
                let pid = pid.clone();
                Callback::from(move |_| {
                    let mut s = (*selected).clone();
                    if !s.remove(&pid) {
                        s.insert(pid.clone());
                    }
                    selected.set(s);
                })
            };
            html! {
                <tr key={pid.clone()}>
                    <td><input type="checkbox" checked={checked} onchange={toggle} aria-label={format!("Select member {pid}")} /></td>
                    <td>{ project_label(&names.known, &pid) }</td>
                    <td><span class={format!("status status-{}", m.status)}>{ &m.status }</span></td>
                    <td>{ m.created_at.clone().unwrap_or_default() }</td>
                    <td>{ m.updated_at.clone().unwrap_or_default() }</td>
                </tr>
            }
        }).collect::<Html>()
    };
    html! {
        <section aria-labelledby="detail-heading">
            <p><Link<Route> to={Route::Images}>{"← My images"}</Link<Route>></p>
            <h1 id="detail-heading">{ title }</h1>
            <>{ wait_view(&wait) }</>
            { match &*image {
                Some(Ok(i)) => html! {
                    <dl class="facts">
                        <dt>{"ID"}</dt><dd><code>{ &i.id }</code></dd>
                        <dt>{"Status"}</dt><dd>{ i.status.clone().unwrap_or_default() }</dd>
                        <dt>{"OS"}</dt><dd>{ i.os() }</dd>
                        <dt>{"Size"}</dt><dd>{ i.size_bytes().map(human_size).unwrap_or_default() }</dd>
                        <dt>{"Visibility"}</dt><dd>{ i.visibility.as_ref().map(|v| v.to_string()).unwrap_or_default() }</dd>
                        if let Some(w) = i.share_warning() { <dt>{"Note"}</dt><dd>{ w }</dd> }
                    </dl>
                },
                Some(Err(e)) => error_view(e, "Loading the image failed", Some(refresh.clone())),
                None => html! { <p>{"Loading…"}</p> },
            } }
            <h2>{"Members"}</h2>
            { match &*members {
                Some(Ok(list)) if list.is_empty() => html! { <p>{"Not shared with any project."}</p> },
                Some(Ok(list)) => html! {
                    <table aria-label="Members">
                        <thead><tr><th scope="col"><span class="visually-hidden">{"Selected"}</span></th><th scope="col">{"Project"}</th><th scope="col">{"Status"}</th><th scope="col">{"Added"}</th><th scope="col">{"Updated"}</th></tr></thead>
                        <tbody>{ member_rows(list) }</tbody>
                    </table>
                },
                Some(Err(e)) => error_view(e, "Loading members failed", Some(refresh.clone())),
                None => html! { <p>{"Loading members…"}</p> },
            } }
            <div class="toolbar">
                <button type="button" class="danger" disabled={selected.is_empty() || removing.busy()} onclick={{ let c = confirm_remove.clone(); move |_| c.set(true) }}>{ format!("Remove {} selected member(s)…", selected.len()) }</button>
                <button type="button" onclick={refresh.reform(|_| ())}>{"Refresh"}</button>
            </div>
            <>{ removing.wait_view() }</>
            if let Some(e) = removing.error() { <p class="error" role="alert">{ format!("Some members were not removed: {e}") }</p> }
            <form class="panel" onsubmit={add} aria-labelledby="add-member-heading">
                <h2 id="add-member-heading">{"Add a member"}</h2>
                <div class="field">
                    <label for="add-member">{"Project ID"}</label>
                    <input id="add-member" value={(*new_member).clone()} spellcheck="false" aria-invalid={adding.error().is_some().to_string()} aria-describedby="add-member-error"
                        oninput={{ let n = new_member.clone(); move |e: InputEvent| n.set(e.target_unchecked_into::<HtmlInputElement>().value()) }} />
                    if let Some(e) = adding.error() { <p class="field-error" id="add-member-error" role="alert">{ e }</p> }
                </div>
                <>{ adding.wait_view() }</>
                <button type="submit" class="primary" disabled={adding.busy()}>{ if adding.busy() { "Adding…" } else { "Add member" } }</button>
                if let Some(m) = &*added {
                    <div class="success" role="status" aria-label="Added member">
                        { format!("Added {}: status {}, created {}", m.member_id, m.status, m.created_at.clone().unwrap_or_default()) }
                    </div>
                }
            </form>
            if *confirm_remove {
                <ConfirmDialog title="Remove members?" confirm_label="Remove" busy={removing.busy()} on_confirm={remove} on_cancel={{ let c = confirm_remove.clone(); Callback::from(move |_| c.set(false)) }}>
                    <p>{ format!("These projects will lose access to {}:", props.id) }</p>
                    <ul>{ for selected.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                </ConfirmDialog>
            }
        </section>
    }
}
