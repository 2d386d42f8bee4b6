//! The sign-in form that index.html shows while the wasm loads (static/shell.js). When the app
//! mounts it replaces that form with its own: what was typed there, the method, the focus and
//! caret, and a submit already asked for carry over, so nothing typed before the app was ready
//! is lost and a click on "Sign in" is not dropped.

use std::cell::RefCell;

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

thread_local! {
    static TAKEN: RefCell<Option<ShellInput>> = const { RefCell::new(None) };
}

const FIELDS: [&str; 5] = [
    "sign-in-user",
    "sign-in-password",
    "sign-in-domain",
    "sign-in-project",
    "sign-in-token",
];

/// Reads the page's form, if it was shown, just before the app replaces it.
pub fn take_from_page() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(main) = doc
        .query_selector("main[data-shell]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    if main.hidden() {
        return;
    }
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
    let taken = ShellInput {
        user: value("sign-in-user"),
        password: value("sign-in-password"),
        domain: value("sign-in-domain"),
        project: value("sign-in-project"),
        token: value("sign-in-token"),
        token_mode: attr("data-mode").as_deref() == Some("token"),
        submitted: attr("data-submitted").as_deref() == Some("true"),
        focused,
    };
    TAKEN.with(|t| *t.borrow_mut() = Some(taken));
}

/// What the page's form held, once: the first sign-in form of the app takes it.
pub fn adopt() -> Option<ShellInput> {
    TAKEN.with(|t| t.borrow_mut().take())
}

/// Puts the focus and caret back where they were in the page's form.
pub fn restore_focus(focused: &(String, u32, u32)) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(i) = input(&doc, &focused.0) {
        let _ = i.focus();
        let _ = i.set_selection_range(focused.1, focused.2);
    }
}

fn input(doc: &Document, id: &str) -> Option<HtmlInputElement> {
    doc.get_element_by_id(id)?.dyn_into().ok()
}
