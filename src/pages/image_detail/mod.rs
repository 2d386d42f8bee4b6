//! One image: its facts, its members with their kind, status and dates, adding one member
//! and removing some. Refreshes when a job on this image ends.

mod add_member;
mod members;

use std::collections::HashSet;
use std::rc::Rc;

use ims_api::images::{get_image, human_size, Image};
use ims_api::members::Member;
use ims_api::ApiError;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::api::Api;
use crate::components::error_view;
use crate::hooks::{use_api, use_wait, wait_view, Wait};
use crate::jobs::use_jobs;
use crate::pages::shared_with_me::replicate::ReplicateForm;
use crate::routes::Route;
use add_member::AddMember;
use members::Members;

#[derive(Properties, PartialEq)]
pub struct ImageDetailProps {
    pub id: String,
}

#[component]
pub fn ImageDetail(props: &ImageDetailProps) -> Html {
    let api = use_api();
    let jobs = use_jobs();
    let image = use_state(|| None::<Result<Image, ApiError>>);
    let wait = use_wait();
    let members = use_state(|| None::<Result<Rc<Vec<Member>>, ApiError>>);
    let reload = use_state(|| 0u32);
    let selected = use_state(HashSet::<String>::new);
    // Refresh when a job that touched this image ends.
    let job_tick = if jobs.last_ended_images.contains(&props.id) {
        jobs.ended
    } else {
        0
    };
    {
        let load = Load {
            api: api.watched(&wait),
            image: image.clone(),
            members: members.clone(),
            wait: wait.clone(),
        };
        use_effect_with(
            (props.id.clone(), *reload, job_tick, api.token.clone()),
            move |(id, _, _, _)| load.run(id.clone()),
        );
    }
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let title = match &*image {
        Some(Ok(i)) => i.display_name().to_string(),
        _ => props.id.clone(),
    };
    // An image shared with this project (IMS) can be replicated into it.
    let replicating = use_state(|| false);
    let shared_here = match &*image {
        Some(Ok(i))
            if api.can_replicate() && i.owner.as_deref().is_some_and(|o| o != api.project_id) =>
        {
            Some(i.clone())
        }
        _ => None,
    };
    let listed = match &*members {
        Some(Ok(list)) => list.clone(),
        _ => Rc::default(),
    };
    html! {
        <section aria-labelledby="detail-heading">
            <p><Link<Route> to={Route::Images}>{"← My images"}</Link<Route>></p>
            <h1 id="detail-heading">{ title }</h1>
            <>{ wait_view(&wait) }</>
            { match &*image {
                Some(Ok(i)) => facts(i),
                Some(Err(e)) => error_view(e, "Loading the image failed", Some(refresh.clone())),
                None => html! { <p>{"Loading…"}</p> },
            } }
            if let Some(i) = &shared_here {
                if *replicating {
                    <ReplicateForm images={vec![i.clone()]} on_close={{ let r = replicating.clone(); Callback::from(move |_| r.set(false)) }} />
                } else {
                    <button type="button" onclick={{ let r = replicating.clone(); move |_| r.set(true) }}>{"Replicate into this project…"}</button>
                }
            }
            <h2>{"Members"}</h2>
            { match &*members {
                Some(Ok(list)) => html! { <Members image_id={props.id.clone()} list={list.clone()} on_changed={refresh.clone()} selected={selected.clone()} /> },
                Some(Err(e)) => error_view(e, "Loading members failed", Some(refresh.clone())),
                None => html! { <p>{"Loading members…"}</p> },
            } }
            <AddMember image_id={props.id.clone()} members={listed} on_changed={refresh} />
        </section>
    }
}

fn facts(i: &Image) -> Html {
    html! {
        <dl class="facts">
            <dt>{"ID"}</dt><dd><code>{ &i.id }</code></dd>
            <dt>{"Status"}</dt><dd>{ i.status.clone().unwrap_or_default() }</dd>
            <dt>{"OS"}</dt><dd>{ i.os() }</dd>
            <dt>{"Size"}</dt><dd>{ i.size_bytes().map(human_size).unwrap_or_default() }</dd>
            <dt>{"Visibility"}</dt><dd>{ i.visibility.as_ref().map(|v| v.to_string()).unwrap_or_default() }</dd>
            if let Some(w) = i.share_warning() { <dt>{"Note"}</dt><dd>{ w }</dd> }
        </dl>
    }
}

/// Reads the image, then its members (how depends on its visibility), into the page's state.
struct Load {
    api: Api,
    image: UseStateHandle<Option<Result<Image, ApiError>>>,
    members: UseStateHandle<Option<Result<Rc<Vec<Member>>, ApiError>>>,
    wait: Wait,
}

impl Load {
    fn run(&self, id: String) {
        self.wait.start_operation();
        let (api, image, members) = (self.api.clone(), self.image.clone(), self.members.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let found = api.read::<Image>(&get_image(&id)).await;
            let visibility = found.as_ref().ok().and_then(|i| i.visibility.clone());
            image.set(Some(found));
            let listed = api.members(&id, visibility.as_ref()).await;
            members.set(Some(listed.map(Rc::new)));
        });
    }
}
