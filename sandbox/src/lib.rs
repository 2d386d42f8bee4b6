//! IMS sandbox: a local stand-in for IAM, IMS and Glance over HTTP, for the console's demo
//! and every test layer. One process serves the API, the console's `dist/` and its
//! `config.json`, so the demo runs same-origin.

// A handler's early answer is an axum `Response`, large by nature; boxing it would only move it.
#![allow(clippy::result_large_err)]

pub mod admin;
pub mod caller;
pub mod errors;
pub mod glance;
pub mod iam;
pub mod ims;
pub mod member_kinds;
pub mod middleware;
pub mod model;
pub mod replicate;
pub mod seed;
pub mod state;
pub mod static_files;

use std::net::SocketAddr;

use axum::routing::{get, post};
use axum::Router;

pub use state::{build_state, load_db, AppState, Options, Settings, Shared, DEFAULT_SEED, REGIONS};

/// The image service's routes (IMS and Glance), served once per region.
fn image_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/cloudimages/members",
            post(ims::share).put(ims::answer).delete(ims::stop),
        )
        .route("/v1/cloudimages/quota", get(ims::quota))
        .route("/v1/cloudimages/{image_id}/copy", post(replicate::copy))
        .route("/v1/{project_id}/jobs/{job_id}", get(ims::job))
        .route(
            "/v1/{project_id}/cloudimages/{image_id}/members",
            get(member_kinds::list_members),
        )
        .route(
            "/v1/{project_id}/cloudimages/{image_id}/members/{member_id}",
            get(member_kinds::get_member),
        )
        .route("/v2/cloudimages", get(glance::list_cloudimages))
        .route("/v2/images", get(glance::list_images))
        .route(
            "/v2/images/{image_id}",
            get(glance::get_image).patch(glance::patch_image),
        )
        .route(
            "/v2/images/{image_id}/members",
            get(glance::list_members).post(glance::add_member),
        )
        .route(
            "/v2/images/{image_id}/members/{member_id}",
            get(glance::get_member)
                .put(glance::set_member)
                .delete(glance::remove_member),
        )
}

/// Another region's call: IAM's tokens and the run-time settings as they are now, then the call.
async fn with_iam_state(
    axum::extract::State((primary, region)): axum::extract::State<(AppState, AppState)>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let tokens = primary
        .db
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .tokens
        .clone();
    region.db.lock().unwrap_or_else(|e| e.into_inner()).tokens = tokens;
    let copy = {
        let s = primary.settings();
        Settings {
            glance_mode: s.glance_mode,
            job_delay_ms: s.job_delay_ms,
            token_ttl_s: s.token_ttl_s,
            cloud_otc: s.cloud_otc,
            member_page_max: s.member_page_max,
            refuse_rescope: s.refuse_rescope,
        }
    };
    *region.settings() = copy;
    next.run(req).await
}

pub fn router(state: AppState) -> Router {
    let mut api = image_routes()
        .route("/v3", get(iam::version))
        .route(
            "/v3/auth/tokens",
            post(iam::issue).get(iam::validate).delete(iam::revoke),
        )
        .route("/v3/auth/projects", get(iam::projects))
        .route(
            "/__admin/faults",
            post(admin::add_fault).delete(admin::clear_faults),
        )
        .route("/__admin/settings", post(admin::settings))
        .route("/__admin/reset", post(admin::reset))
        .route("/__admin/tokens/expire", post(admin::expire_tokens))
        .route("/__admin/seed", get(admin::seed_info))
        .route("/config.json", get(admin::config_json));
    // The first region answers under its own name too, for proxies with one path per region.
    api = api.nest(&format!("/{}", REGIONS[0]), image_routes());
    for other in &state.others {
        let regional = image_routes()
            .layer(axum::middleware::from_fn_with_state(
                (state.clone(), other.clone()),
                with_iam_state,
            ))
            .with_state(other.clone());
        api = api.nest(&format!("/{}", other.region), regional);
    }
    let app = match &state.options.dist {
        Some(dist) => api.fallback_service(static_files::service(dist)),
        None => api,
    };
    app.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        static_files::headers,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::faults,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::cors_and_request_id,
    ))
    .with_state(state)
}

/// Serves until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

/// Starts a sandbox on a free loopback port in a background thread; returns its base URL.
/// For tests.
pub fn spawn(options: Options) -> String {
    let state = build_state(options).expect("seed loads");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            serve(listener, state).await.expect("serve");
        });
    });
    let addr = rx.recv().expect("sandbox started");
    format!("http://{addr}")
}
