//! Who calls: the token of `X-Auth-Token`, checked before a handler runs (the shape of axum's
//! `examples/jwt`). IMS answers a bad token in its error shape and Glance in its own, so each
//! family has its extractor; a handler that takes one never sees an unauthenticated call.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;

use crate::iam::{check_token, header};
use crate::model::Token;
use crate::AppState;

/// The caller of an IMS call (`/v1/...`): in Glance mode, plain Glance has no such path.
pub struct ImsCaller(pub Token);

/// The caller of a Glance call (`/v2/...`).
pub struct GlanceCaller(pub Token);

impl FromRequestParts<AppState> for ImsCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
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
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let db = state.db();
        check_token(&db, header(&parts.headers, "x-auth-token"))
            .map(GlanceCaller)
            .map_err(|f| {
                crate::errors::glance(&parts.headers, StatusCode::UNAUTHORIZED, f.message())
            })
    }
}
