//! Who calls: the token of `X-Auth-Token`, checked before a handler runs (the shape of axum's
//! `examples/jwt`). IMS answers a bad token in its error shape and Glance in its own, so each
//! family (and IAM) has its extractor; a handler that takes one never sees an unauthenticated call.

use crate::errors::SandboxError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;

use crate::iam::{check_token, header};
use crate::model::Token;
use crate::AppState;

/// The caller of an IMS call (`/v1/...`): in Glance mode, plain Glance has no such path.
pub struct ImsCaller(pub Token);

/// The caller of an IAM call that needs a token (`/v3/auth/...` but the token's issue).
pub struct KeystoneCaller(pub Token);

/// The caller of a Glance call (`/v2/...`).
pub struct GlanceCaller(pub Token);

impl FromRequestParts<AppState> for ImsCaller {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SandboxError> {
        if state.settings().glance_mode {
            return Err(crate::errors::glance(
                &parts.headers,
                StatusCode::NOT_FOUND,
                "The resource could not be found.",
            ));
        }
        let db = state.db();
        check_token(&db, header(&parts.headers, "x-auth-token"))
            .map(ImsCaller)
            .map_err(|f| crate::errors::ims(StatusCode::UNAUTHORIZED, "IMG.0087", f.message()))
    }
}

impl FromRequestParts<AppState> for GlanceCaller {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SandboxError> {
        let db = state.db();
        check_token(&db, header(&parts.headers, "x-auth-token"))
            .map(GlanceCaller)
            .map_err(|f| {
                crate::errors::glance(&parts.headers, StatusCode::UNAUTHORIZED, f.message())
            })
    }
}

impl FromRequestParts<AppState> for KeystoneCaller {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SandboxError> {
        let db = state.db();
        check_token(&db, header(&parts.headers, "x-auth-token"))
            .map(KeystoneCaller)
            .map_err(|f| crate::errors::keystone(StatusCode::UNAUTHORIZED, f.message()))
    }
}
