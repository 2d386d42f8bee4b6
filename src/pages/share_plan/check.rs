//! The check of a share plan: once its rows and the project's images are both in, the members
//! of every image it names are read (as many at a time as native calls may run) and the plan
//! is compared with them. A newer file makes an older check's result stale.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use ims_api::apply::{self, Context};
use ims_api::plan::{self, Names};
use yew::prelude::*;

use super::{steps, Prepared, ReadPlan, Stage};
use crate::api::Api;
use crate::hooks::ImageList;
use crate::names::NamesHandle;
use crate::session::context::use_session;

/// The check's state, owned by the page.
pub struct Check {
    pub rows: Rc<RefCell<Option<ReadPlan>>>,
    pub stage: UseStateHandle<Stage>,
    /// The check whose result is still wanted.
    pub latest: Rc<RefCell<u32>>,
    /// Bumped to check again (a new file, a retry).
    pub generation: u32,
}

#[hook]
pub fn use_plan_check(api: &Api, list: &ImageList, names: &NamesHandle, check: Check) {
    {
        let Check {
            rows,
            stage,
            latest,
            generation,
        } = check;
        let (api, names, images) = (api.clone(), names.clone(), list.images.clone());
        let ready = !list.loading && list.error.is_none();
        let own_account = use_session()
            .info()
            .map(|i| i.domain_id.clone())
            .unwrap_or_default();
        use_effect_with((generation, ready), move |(gen, ready)| {
            let taken = rows.borrow().clone();
            if let (true, Some((file, rows))) = (*ready, taken) {
                let gen = *gen;
                *latest.borrow_mut() = gen;
                let set = move |s: Stage| {
                    if *latest.borrow() == gen {
                        stage.set(s);
                    }
                };
                let plan_names = Names {
                    images: images
                        .iter()
                        .map(|i| (i.id.clone(), i.display_name().to_string()))
                        .collect(),
                    projects: names
                        .known
                        .iter()
                        .map(|(id, n)| (id.clone(), n.clone()))
                        .collect(),
                    own_project: api.project_id.clone(),
                    own_account: own_account.clone(),
                    kinds: api.member_kinds(),
                };
                let ctx = Context::of(images.iter());
                wasm_bindgen_futures::spawn_local(async move {
                    let wanted = plan::images_named(&rows, &plan_names);
                    let mut current: HashMap<String, HashSet<String>> = HashMap::new();
                    set(Stage::Checking {
                        done: 0,
                        total: wanted.len(),
                    });
                    // Read as many at a time as native calls may run in parallel.
                    let mut done = 0;
                    for batch in wanted.chunks(api.config.concurrency.max(1)) {
                        let reads = batch.iter().map(|image| {
                            let visibility = ctx.visibility.get(image).cloned();
                            let api = api.clone();
                            async move { (image, api.members(image, visibility.as_ref()).await) }
                        });
                        for (image, answer) in futures_util::future::join_all(reads).await {
                            match answer {
                                Ok(l) => {
                                    current.insert(
                                        image.clone(),
                                        l.iter().map(|m| m.target_id().to_string()).collect(),
                                    );
                                }
                                Err(e) => {
                                    set(Stage::Failed(e));
                                    return;
                                }
                            }
                        }
                        done += batch.len();
                        set(Stage::Checking {
                            done,
                            total: wanted.len(),
                        });
                    }
                    let started = js_sys::Date::now();
                    let diff = plan::diff(&rows, &plan_names, &current);
                    let diff_ms = (js_sys::Date::now() - started) as u32;
                    let not_shared = steps(&api, &diff, &ctx, false)
                        .map(|s| {
                            apply::switched(&s)
                                .into_iter()
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    set(Stage::Ready(Rc::new(Prepared {
                        file,
                        rows: rows.len(),
                        diff: Rc::new(diff),
                        diff_ms,
                        ctx,
                        not_shared,
                    })));
                });
            }
        });
    }
}
