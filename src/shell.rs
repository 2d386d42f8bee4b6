//! The sign-in form that index.html shows while the wasm loads (static/shell.js). The app
//! mounts beside it, hidden, and its own sign-in form takes over once it is in the page: what
//! was typed there, the method, the focus and caret, and a submit already asked for carry over.
//! The page's form is read and removed, and the app's form shown and focused, in one task
//! (the form's first effect), so no keystroke falls between the two forms and a click on
//! "Sign in" is not dropped.

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlInputElement};

/// What the page's form held when the app took over.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShellInput {
    pub user: String,
    pub password: String,
    pub domain: String,
    pub project: String,
    pub token: String,
    pub token_mode: bool,
    pub submitted: bool,
    /// The id of the field that had the focus, with its selection.
    pub focused: Option<(String, u32, u32)>,
}

const FIELDS: [&str; 5] = [
    "sign-in-user",
    "sign-in-password",
    "sign-in-domain",
    "sign-in-project",
    "sign-in-token",
];

const ROOT_ID: &str = "app-root";

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// The page's form, when it is shown.
fn shown_form(doc: &Document) -> Option<HtmlElement> {
    let main = doc
        .query_selector("main[data-shell]")
        .ok()
        .flatten()?
        .dyn_into::<HtmlElement>()
        .ok()?;
    (!main.hidden()).then_some(main)
}

/// The element the app mounts in, inside #app beside the page's own content. Hidden while
/// the page's form is shown: the app's form takes its place in [`hand_over`].
pub fn app_root() -> Option<web_sys::Element> {
    let doc = document()?;
    let app = doc.get_element_by_id("app")?;
    let root = doc.create_element("div").ok()?;
    root.set_id(ROOT_ID);
    app.append_child(&root).ok()?;
    match shown_form(&doc) {
        Some(_) => {
            let _ = root.set_attribute("hidden", "");
        }
        None => hand_over(),
    }
    Some(root)
}

/// Removes the page's own content ("Loading…", its form) and shows the app. Idempotent.
pub fn hand_over() {
    let Some(doc) = document() else { return };
    let Some(app) = doc.get_element_by_id("app") else {
        return;
    };
    let children = app.children();
    let others: Vec<_> = (0..children.length())
        .filter_map(|i| children.item(i))
        .filter(|c| c.id() != ROOT_ID)
        .collect();
    for c in others {
        c.remove();
    }
    if let Some(root) = doc.get_element_by_id(ROOT_ID) {
        let _ = root.remove_attribute("hidden");
    }
}

/// What the page's form holds now, if it is shown.
pub fn read() -> Option<ShellInput> {
    let doc = document()?;
    let main = shown_form(&doc)?;
    let value = |id: &str| input(&doc, id).map(|i| i.value()).unwrap_or_default();
    let form = main.query_selector("form").ok().flatten();
    let attr = |name: &str| form.as_ref().and_then(|f| f.get_attribute(name));
    let focused = doc.active_element().and_then(|el| {
        let id = el.id();
        FIELDS.contains(&id.as_str()).then(|| {
            let i = el.unchecked_into::<HtmlInputElement>();
            // Password inputs report their selection; a failure only loses the caret.
            let start = i.selection_start().ok().flatten().unwrap_or(0);
            let end = i.selection_end().ok().flatten().unwrap_or(start);
            (id, start, end)
        })
    });
    Some(ShellInput {
        user: value("sign-in-user"),
        password: value("sign-in-password"),
        domain: value("sign-in-domain"),
        project: value("sign-in-project"),
        token: value("sign-in-token"),
        token_mode: attr("data-mode").as_deref() == Some("token"),
        submitted: attr("data-submitted").as_deref() == Some("true"),
        focused,
    })
}

/// Puts what the page's form held into the app's fields (the app's state follows on its next
/// render) and the focus and caret back where they were, once the page's form is gone.
pub fn restore(taken: &ShellInput) {
    let Some(doc) = document() else { return };
    let values = [
        &taken.user,
        &taken.password,
        &taken.domain,
        &taken.project,
        &taken.token,
    ];
    for (id, value) in FIELDS.iter().zip(values) {
        if let Some(i) = input(&doc, id).filter(|_| !value.is_empty()) {
            i.set_value(value);
        }
    }
    if let Some((id, start, end)) = &taken.focused {
        if let Some(i) = input(&doc, id) {
            let _ = i.focus();
            let _ = i.set_selection_range(*start, *end);
        }
    }
}

fn input(doc: &Document, id: &str) -> Option<HtmlInputElement> {
    doc.get_element_by_id(id)?.dyn_into().ok()
}
