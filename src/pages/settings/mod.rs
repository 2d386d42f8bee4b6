//! Settings: the configuration in effect (from config.json) and this tab's session facts.

use std::rc::Rc;

use ims_api::config::{Config, Flavor};
use ims_api::time::format_rfc3339;
use yew::prelude::*;

mod address_book;
use crate::hooks::use_api;
use crate::jobs::{use_jobs, JobsAction};
use crate::session::context::use_session;
use address_book::AddressBook;

fn flavor_name(f: Flavor) -> &'static str {
    match f {
        Flavor::Auto => "auto",
        Flavor::Ims => "IMS (Huawei Cloud / Open Telekom Cloud)",
        Flavor::Glance => "OpenStack Glance",
    }
}

#[component]
pub fn Settings() -> Html {
    let config = use_context::<Rc<Config>>().expect("config");
    let session = use_session();
    let api = use_api();
    let jobs = use_jobs();
    let or_origin = |s: &str| {
        if s.is_empty() {
            "this site (reverse proxy)".to_string()
        } else {
            s.to_string()
        }
    };
    let forget = {
        let jobs = jobs.clone();
        Callback::from(move |_| jobs.dispatch(JobsAction::ClearFinished))
    };
    html! {
        <section aria-labelledby="settings-heading">
            <h1 id="settings-heading">{"Settings"}</h1>
            <p>{"These values come from config.json beside the app; edit that file to change them for everyone."}</p>
            <dl class="facts">
                <dt>{"IAM endpoint"}</dt><dd>{ or_origin(&config.iam_url) }</dd>
                <dt>{"Image endpoint"}</dt><dd>{ or_origin(&api.endpoints.image) }</dd>
                <dt>{"Flavor configured"}</dt><dd>{ flavor_name(config.flavor) }</dd>
                <dt>{"Flavor in use"}</dt><dd data-testid="flavor">{ flavor_name(api.flavor) }</dd>
                <dt>{"Region configured"}</dt><dd>{ &config.region }</dd>
                <dt>{"Region in use"}</dt><dd>{ session.info().map(|i| i.region.clone()).unwrap_or_default() }</dd>
                <dt>{"Default domain"}</dt><dd>{ &config.default_domain }</dd>
                <dt>{"Projects per share call"}</dt><dd>{ config.chunk_size }</dd>
                <dt>{"Parallel native calls"}</dt><dd>{ config.concurrency }</dd>
                <dt>{"Images per page"}</dt><dd>{ config.page_size }</dd>
                if let Some(info) = session.info() {
                    <dt>{"Token issued"}</dt><dd>{ info.issued_at_ms.map(format_rfc3339).unwrap_or_default() }</dd>
                    <dt>{"Token expires"}</dt><dd>{ format_rfc3339(info.expires_at_ms) }</dd>
                    <dt>{"Project ID"}</dt><dd><code>{ &info.project.id }</code></dd>
                }
            </dl>
            <p>{"The token is kept in this tab's sessionStorage only and is gone when the tab closes; the password is never stored."}</p>
            <button type="button" onclick={forget}>{"Forget finished jobs"}</button>
            <AddressBook />
        </section>
    }
}
