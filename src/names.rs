//! Names for project IDs across the app: the user's own projects (read from IAM once per
//! token) and the address book kept in Settings. The book lives in localStorage: it is not a
//! secret, and it should outlive the tab. Nothing else goes there.

use std::collections::HashMap;
use std::rc::Rc;

use gloo_storage::{LocalStorage, Storage};
use ims_api::auth::{self, ProjectList};
use ims_api::names::{known_names, Contact};
use yew::prelude::*;

use crate::hooks::use_api;

pub const BOOK_KEY: &str = "ims-share-console.address-book";

#[derive(Clone, PartialEq, Default)]
pub struct ProjectNames {
    /// (ID, name) of the projects the user may sign in to.
    pub own: Rc<Vec<(String, String)>>,
    pub book: Rc<Vec<Contact>>,
    /// Every ID with a name, own projects winning.
    pub known: Rc<HashMap<String, String>>,
}

impl ProjectNames {
    pub fn name(&self, id: &str) -> Option<&str> {
        self.known.get(id).map(String::as_str)
    }
}

pub enum NamesAction {
    Own(Vec<(String, String)>),
    /// The whole book after an edit; saved as it is set.
    Book(Vec<Contact>),
}

impl Reducible for ProjectNames {
    type Action = NamesAction;
    fn reduce(self: Rc<Self>, action: NamesAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            NamesAction::Own(own) => next.own = Rc::new(own),
            NamesAction::Book(book) => {
                // A browser that refuses storage keeps the book for this page only.
                let _ = LocalStorage::set(BOOK_KEY, &book);
                next.book = Rc::new(book);
            }
        }
        next.known = Rc::new(known_names(&next.own, &next.book));
        Rc::new(next)
    }
}

pub type NamesHandle = UseReducerHandle<ProjectNames>;

#[hook]
pub fn use_names() -> NamesHandle {
    use_context::<NamesHandle>().expect("NamesProvider is mounted")
}

#[derive(Properties, PartialEq)]
pub struct NamesProviderProps {
    pub children: Html,
}

#[component]
pub fn NamesProvider(props: &NamesProviderProps) -> Html {
    let names = use_reducer(|| {
        let book: Vec<Contact> = LocalStorage::get(BOOK_KEY).unwrap_or_default();
        ProjectNames {
            known: Rc::new(known_names(&[], &book)),
            book: Rc::new(book),
            ..ProjectNames::default()
        }
    });
    let api = use_api();
    {
        let names = names.clone();
        use_effect_with(api.token.clone(), move |token| {
            if token.is_some() {
                wasm_bindgen_futures::spawn_local(async move {
                    // Best effort: without them, IDs show without names.
                    if let Ok(list) = api.read::<ProjectList>(&auth::list_projects()).await {
                        names.dispatch(NamesAction::Own(
                            list.projects.into_iter().map(|p| (p.id, p.name)).collect(),
                        ));
                    }
                });
            }
        });
    }
    html! { <ContextProvider<NamesHandle> context={names}>{ props.children.clone() }</ContextProvider<NamesHandle>> }
}

/// A project ID with its name beside it when the console knows one. A plain function, not a
/// component: tables put one in every row, and the page that draws them already follows the
/// names (`use_names`), so a component per row would only add its own state and code.
pub fn project_label(known: &HashMap<String, String>, id: &str) -> Html {
    html! {
        <span class="project">
            if let Some(n) = known.get(id) { <span class="project-name">{ n }</span>{" "} }
            <code class="id">{ id }</code>
        </span>
    }
}
