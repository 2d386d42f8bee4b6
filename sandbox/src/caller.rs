//! Who calls: the token of `X-Auth-Token`, checked before a handler runs (the shape of axum's
//! `examples/jwt`). IMS answers a bad token in its error shape, Glance and IAM in theirs, so
//! each family has its extractor; a handler that takes one never sees an unauthenticated call.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;

use crate::errors::{glance, ims, keystone, SandboxError};
use crate::iam::{check_token, header};
use crate::model::Token;
use crate::AppState;

/// The caller of an IMS call (`/v1/...`): in Glance mode, plain Glance has no such path.
pub struct ImsCaller(pub Token);

/// The caller of an IAM call that needs a token (`/v3/auth/...` but the token's issue).
pub struct KeystoneCaller(pub Token);

/// The caller of a Glance call (`/v2/...`).
pub struct GlanceCaller(pub Token);

/// The token the request carries, or the refusal `refuse` words from the reason.
fn token(
    parts: &Parts,
    state: &AppState,
    refuse: impl FnOnce(&str) -> SandboxError,
) -> Result<Token, SandboxError> {
    check_token(&state.db(), header(&parts.headers, "x-auth-token"))
        .map_err(|f| refuse(f.message()))
}

impl FromRequestParts<AppState> for ImsCaller {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SandboxError> {
        if state.settings().glance_mode {
            return Err(glance(
                &parts.headers,
                StatusCode::NOT_FOUND,
                "The resource could not be found.",
            ));
        }
        token(parts, state, |m| {
            ims(StatusCode::UNAUTHORIZED, "IMG.0087", m)
        })
        .map(ImsCaller)
    }
}

impl FromRequestParts<AppState> for GlanceCaller {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SandboxError> {
        let headers = parts.headers.clone();
        token(parts, state, |m| {
            glance(&headers, StatusCode::UNAUTHORIZED, m)
        })
        .map(GlanceCaller)
    }
}

impl FromRequestParts<AppState> for KeystoneCaller {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SandboxError> {
        token(parts, state, |m| keystone(StatusCode::UNAUTHORIZED, m)).map(KeystoneCaller)
    }
}
