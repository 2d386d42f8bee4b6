use std::rc::Rc;

use ims_api::config::Config;
use yew::prelude::*;

use crate::api::endpoints;
use crate::api::Api;
use crate::session::context::use_session;
use crate::session::SessionAction;

/// The API handle for the current session.
#[hook]
pub fn use_api() -> Api {
    let config = use_context::<Rc<Config>>().expect("config is provided");
    let session = use_session();
    let on_unauthorized = {
        let session = session.clone();
        Callback::from(move |token: String| session.dispatch(SessionAction::Unauthorized(token)))
    };
    let current = session.current.as_ref();
    let flavor = current.map(|s| s.flavor).unwrap_or(config.flavor);
    let mut endpoints = endpoints(&config, current.map(|s| &s.info));
    if flavor == ims_api::config::Flavor::Glance {
        endpoints.image_name = "Glance";
    }
    Api {
        endpoints,
        token: current.map(|s| s.info.token.clone()),
        flavor,
        user_id: current.map(|s| s.info.user.id.clone()).unwrap_or_default(),
        project_id: current
            .map(|s| s.info.project.id.clone())
            .unwrap_or_default(),
        config,
        on_unauthorized,
        wait: None,
    }
}
