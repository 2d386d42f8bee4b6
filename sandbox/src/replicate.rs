//! `POST /v1/cloudimages/{image_id}/copy` (API notes, "Replicate an image"): a private copy
//! of an image in the caller's project, as a job. An image shared with the caller can be
//! replicated once accepted; the copy outlives the owner's share.

use crate::errors::SandboxError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde_json::Value;

use crate::caller::ImsCaller;
use crate::errors::ims;
use crate::model::{now_ms, random_uuid, Db, Effect, Image, JobResult};
use crate::AppState;

/// IMS's rule for image names: 1 to 128 characters of letters, digits, spaces, `_`, `-` and
/// `.`, neither starting nor ending with a space.
pub fn valid_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=128).contains(&n)
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
}

/// The image `project` may replicate: its own, or one shared with it and accepted; a
/// full-ECS image only with a vault for its backups.
fn replicable(
    db: &Db,
    image_id: &str,
    project: &str,
    has_vault: bool,
) -> Result<Image, SandboxError> {
    let missing = || {
        ims(
            StatusCode::NOT_FOUND,
            "IMG.0027",
            &format!("Image {image_id} does not exist."),
        )
    };
    let source = db.image(image_id).cloned().ok_or_else(missing)?;
    if source.owner != project {
        match db.member(image_id, project).map(|m| m.status.as_str()) {
            None => return Err(missing()),
            Some("accepted") => {}
            Some(other) => {
                return Err(ims(
                    StatusCode::BAD_REQUEST,
                    "IMG.0027",
                    &format!("Image {image_id} is shared with project {project} but {other}, not accepted: accept it before replicating it."),
                ))
            }
        }
    }
    if source.whole_image && !has_vault {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0182",
            &format!("Replicating full-ECS image {image_id} needs vault_id."),
        ));
    }
    Ok(source)
}

pub async fn copy(
    State(state): State<AppState>,
    ImsCaller(token): ImsCaller,
    Path(image_id): Path<String>,
    body: Option<Json<Value>>,
) -> Result<Response, SandboxError> {
    let body = body.map(|b| b.0).unwrap_or(Value::Null);
    let name = body["name"].as_str().unwrap_or_default().to_string();
    if !valid_name(&name) {
        return Err(ims(
            StatusCode::BAD_REQUEST,
            "IMG.0005",
            "The image name is invalid: 1 to 128 letters, digits, spaces, _, - and ., not starting or ending with a space.",
        ));
    }
    let cmk_id = body["cmk_id"]
        .as_str()
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    let vault_id = body["vault_id"].as_str().filter(|v| !v.is_empty());
    let project = token.project_id.clone();
    let mut db = state.db();
    let source = replicable(&db, &image_id, &project, vault_id.is_some())?;
    let now = now_ms();
    let copy = Image {
        id: random_uuid(),
        name,
        owner: project.clone(),
        visibility: "private".into(),
        status: "active".into(),
        cmk_id,
        default_key: false,
        created_ms: now,
        updated_ms: now,
        ..source
    };
    let results = vec![JobResult {
        image_id: copy.id.clone(),
        project_id: None,
        error: None,
    }];
    Ok(crate::ims::start_job(
        &state,
        &mut db,
        "copyImageInRegion",
        &project,
        results,
        vec![Effect::AddImage(Box::new(copy))],
    ))
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn names_follow_the_ims_rule() {
        assert!(valid_name("debian-12 copy.v2_a"));
        for bad in ["", " lead", "trail ", "semi;colon", &"x".repeat(129)] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
