use std::rc::Rc;

use ims_api::images::{first_page, next_page, Image, ImagePage, ListScope};
use ims_api::ApiError;
use yew::prelude::*;

use crate::api::Api;
use crate::hooks::{use_wait, Wait};

#[derive(Clone, PartialEq, Default)]
pub struct ImageList {
    /// Shared, not copied, by every render and every component that shows it.
    pub images: Rc<Vec<Image>>,
    pub loading: bool,
    pub error: Option<ApiError>,
    /// Bumped to reload.
    pub generation: u32,
}

/// Loads every page of a listing (IMS by marker, Glance by `next`), showing progress as
/// pages arrive. A failed page keeps what was loaded and says so; `reload` starts over. The
/// [`Wait`] shows a page that is slow to come (`hooks::wait_view`); a new load aborts the
/// one in flight, so a refresh never stacks a second request on a hung one.
#[hook]
pub fn use_image_list(
    api: &Api,
    scope: Option<ListScope>,
    refresh: u64,
) -> (UseStateHandle<ImageList>, Callback<()>, Wait) {
    let wait = use_wait();
    let state = use_state(ImageList::default);
    let generation = use_state(|| 0u32);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    {
        let state = state.clone();
        let api = api.watched(&wait);
        let wait = wait.clone();
        // Keyed on whether there is a token and on the project, not on the token's value:
        // signing in again to the same project keeps the list in place, while a switch to
        // another project lists that project's images.
        use_effect_with(
            (
                scope,
                api.token.is_some(),
                api.project_id.clone(),
                api.flavor,
                *generation,
                refresh,
            ),
            move |(scope, _, _, _, gen, _)| {
                let cancelled = std::rc::Rc::new(std::cell::Cell::new(false));
                wait.start_operation();
                if let (Some(scope), true) = (scope.clone(), api.token.is_some()) {
                    let gen = *gen;
                    // What was shown stays until the first page of the new listing lands.
                    state.set(ImageList {
                        images: state.images.clone(),
                        loading: true,
                        error: None,
                        generation: gen,
                    });
                    let cancelled = cancelled.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let limit = api.config.page_size;
                        let first = first_page(api.flavor, &scope, limit);
                        let mut req = first.clone();
                        let mut all: Vec<Image> = Vec::new();
                        let mut first_page_seen = false;
                        loop {
                            let page: Result<ImagePage, ApiError> = api.read(&req).await;
                            if cancelled.get() {
                                return;
                            }
                            match page {
                                Ok(page) => {
                                    let next = next_page(api.flavor, &first, &page, limit);
                                    all.extend(page.images);
                                    let more = next.is_some();
                                    first_page_seen = true;
                                    state.set(ImageList {
                                        images: Rc::new(if more {
                                            all.clone()
                                        } else {
                                            std::mem::take(&mut all)
                                        }),
                                        loading: more,
                                        error: None,
                                        generation: gen,
                                    });
                                    match next {
                                        Some(n) => req = n,
                                        None => break,
                                    }
                                }
                                Err(e) => {
                                    let images = if first_page_seen {
                                        Rc::new(all)
                                    } else {
                                        state.images.clone()
                                    };
                                    state.set(ImageList {
                                        images,
                                        loading: false,
                                        error: Some(e),
                                        generation: gen,
                                    });
                                    break;
                                }
                            }
                        }
                    });
                }
                move || {
                    cancelled.set(true);
                    wait.cancel();
                }
            },
        );
    }
    (state, reload, wait)
}

/// The same list, by address: a cheap dependency for memos over a list of 20,000 images,
/// where comparing the contents would cost as much as what the memo saves.
#[derive(Clone)]
pub struct SameList(pub Rc<Vec<Image>>);

impl PartialEq for SameList {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
