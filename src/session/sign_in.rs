//! Starting a session: password, existing token, or re-scoping to another project; then
//! finding out which API flavor the image endpoint speaks.

use ims_api::auth::{self, ProjectRef, SessionInfo};
use ims_api::config::{Config, Flavor};
use ims_api::ApiError;

use super::context::StoredSession;
use crate::transport::{self, Endpoints};

pub fn endpoints(config: &Config, info: Option<&SessionInfo>) -> Endpoints {
    let catalog = info
        .and_then(|i| i.image_endpoint.clone())
        .filter(|u| !u.is_empty());
    Endpoints {
        iam: config.iam_url.clone(),
        image: config.image_base(
            catalog.as_deref(),
            info.map(|i| i.region.as_str()).unwrap_or_default(),
        ),
        image_name: "IMS",
        timeout_s: config.request_timeout_s,
    }
}

pub async fn with_password(
    config: &Config,
    user: &str,
    password: &str,
    domain: &str,
    project: &str,
) -> Result<StoredSession, ApiError> {
    let req = auth::password_login(user, password, domain, &ProjectRef::from_input(project));
    let resp = transport::send(&endpoints(config, None), None, &req).await?;
    finish(
        config,
        auth::session_from_response(resp, None, &config.region)?,
    )
    .await
}

pub async fn with_token(config: &Config, token: &str) -> Result<StoredSession, ApiError> {
    let token = token.trim();
    let resp =
        transport::send(&endpoints(config, None), None, &auth::validate_token(token)).await?;
    // A token that is not valid answers 404 (or 401): both mean "sign in again".
    let resp = if resp.status == 404 {
        ims_api::ApiResponse {
            status: 401,
            ..resp
        }
    } else {
        resp
    };
    finish(
        config,
        auth::session_from_response(resp, Some(token.to_string()), &config.region)?,
    )
    .await
}

pub async fn rescope(
    config: &Config,
    token: &str,
    project_id: &str,
) -> Result<StoredSession, ApiError> {
    let resp = transport::send(
        &endpoints(config, None),
        None,
        &auth::token_rescope(token, project_id),
    )
    .await?;
    finish(
        config,
        auth::session_from_response(resp, None, &config.region)?,
    )
    .await
}

async fn finish(config: &Config, info: SessionInfo) -> Result<StoredSession, ApiError> {
    let flavor = match config.flavor {
        Flavor::Auto => detect_flavor(config, &info).await,
        f => f,
    };
    Ok(StoredSession { info, flavor })
}

async fn detect_flavor(config: &Config, info: &SessionInfo) -> Flavor {
    match transport::send(
        &endpoints(config, Some(info)),
        Some(&info.token),
        &ims_api::quota::get(),
    )
    .await
    {
        Ok(r) => ims_api::config::flavor_from_probe(r.status, &r.body).unwrap_or(Flavor::Ims),
        Err(_) => Flavor::Ims,
    }
}
