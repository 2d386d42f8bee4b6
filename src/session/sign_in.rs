//! Starting a session: password, existing token, or re-scoping to another project; then
//! finding out which API flavor the image endpoint speaks.

use ims_api::auth::{self, ProjectRef, SessionInfo};
use ims_api::config::{Config, Flavor};
use ims_api::ApiError;

use super::context::StoredSession;
use crate::api::{endpoints, send_watched};
use crate::hooks::Wait;
use crate::transport;

pub async fn with_password(
    config: &Config,
    user: &str,
    password: &str,
    domain: &str,
    project: &str,
    wait: Option<&Wait>,
) -> Result<StoredSession, ApiError> {
    let req = auth::password_login(user, password, domain, &ProjectRef::from_input(project));
    let resp = send_watched(&endpoints(config, None), None, &req, wait).await?;
    finish(
        config,
        auth::session_from_response(resp, None, &config.region)?,
        wait,
    )
    .await
}

/// `wait`: where the sign-in form shows a slow IAM (none for a portal's hand-over).
pub async fn with_token(
    config: &Config,
    token: &str,
    wait: Option<&Wait>,
) -> Result<StoredSession, ApiError> {
    let token = token.trim();
    let resp = send_watched(
        &endpoints(config, None),
        None,
        &auth::validate_token(token),
        wait,
    )
    .await?;
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
        wait,
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
        None,
    )
    .await
}

async fn finish(
    config: &Config,
    info: SessionInfo,
    wait: Option<&Wait>,
) -> Result<StoredSession, ApiError> {
    let flavor = match config.flavor {
        Flavor::Auto => detect_flavor(config, &info, wait).await?,
        f => f,
    };
    Ok(StoredSession { info, flavor })
}

/// A probe that gets no answer is taken as IMS (the next sign-in probes again); a Cancel
/// ends the sign-in.
async fn detect_flavor(
    config: &Config,
    info: &SessionInfo,
    wait: Option<&Wait>,
) -> Result<Flavor, ApiError> {
    Ok(
        match send_watched(
            &endpoints(config, Some(info)),
            Some(&info.token),
            &ims_api::quota::get(),
            wait,
        )
        .await
        {
            Ok(r) => ims_api::config::flavor_from_probe(r.status, &r.body).unwrap_or(Flavor::Ims),
            Err(e @ ApiError::Cancelled { .. }) => return Err(e),
            Err(_) => Flavor::Ims,
        },
    )
}
