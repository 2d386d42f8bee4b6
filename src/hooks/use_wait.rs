//! The one way a screen shows a request that has no answer yet: "Waiting for Glance… 12 s"
//! with a Cancel that aborts it and keeps the page, and the deadline's "trying again (2 of
//! 3)". A screen takes a [`Wait`] from [`use_wait`], hands it to the API handle
//! (`api.watched(&wait)`), and draws [`wait_view`] next to what waits. The words are
//! `ims_api::wait`'s.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::api::now_ms;

#[derive(Default)]
struct Inner {
    /// The service waited for and since when; `None` while nothing is in flight.
    waiting: RefCell<Option<(String, i64, bool)>>,
    /// What the last deadline said, shown until the operation ends.
    note: RefCell<Option<String>>,
    controller: RefCell<Option<web_sys::AbortController>>,
    cancelled: Cell<bool>,
}

/// A screen's handle on its requests' waits. Cheap to clone; equal to itself only.
#[derive(Clone)]
pub struct Wait {
    inner: Rc<Inner>,
    update: Callback<()>,
}

impl PartialEq for Wait {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Wait {
    /// The screen starts something new (a load, a submit, a Retry): a Cancel of what it did
    /// before no longer counts. Until then, every request of the handle ends as cancelled
    /// unsent, so a Cancel in the middle of several reads stops them all.
    pub fn start_operation(&self) {
        self.inner.cancelled.set(false);
        *self.inner.note.borrow_mut() = None;
    }

    /// A request is sent: the wait is counted from the operation's first request.
    pub fn sending(&self, service: &str, write: bool) {
        let mut w = self.inner.waiting.borrow_mut();
        if w.is_none() {
            *w = Some((service.to_string(), now_ms(), write));
        }
    }

    /// The transport's abort handle for the request in flight.
    pub fn set_controller(&self, c: web_sys::AbortController) {
        *self.inner.controller.borrow_mut() = Some(c);
    }

    /// The deadline passed and another try follows: said at once.
    pub fn note(&self, text: String) {
        *self.inner.note.borrow_mut() = Some(text);
        self.update.emit(());
    }

    /// The operation ended, answered or not.
    pub fn finished(&self) {
        *self.inner.waiting.borrow_mut() = None;
        *self.inner.note.borrow_mut() = None;
        *self.inner.controller.borrow_mut() = None;
        self.update.emit(());
    }

    pub fn cancelled(&self) -> bool {
        self.inner.cancelled.get()
    }

    /// Aborts the request in flight; the operation ends as cancelled and sends nothing more.
    pub fn cancel(&self) {
        self.inner.cancelled.set(true);
        if let Some(c) = self.inner.controller.borrow_mut().take() {
            c.abort();
        }
        self.finished();
    }

    fn shown(&self) -> Option<(String, bool)> {
        let waiting = self.inner.waiting.borrow();
        let (service, since, write) = waiting.as_ref()?;
        let note = self.inner.note.borrow().clone();
        let count = ims_api::wait::waiting_text(service, now_ms() - since);
        let text = match (note, count) {
            (Some(n), Some(c)) => format!("{n}. {c}"),
            (Some(n), None) => n,
            (None, Some(c)) => c,
            (None, None) => return None,
        };
        Some((text, *write))
    }
}

/// A [`Wait`] for this component, redrawn every second while a request is in flight.
#[hook]
pub fn use_wait() -> Wait {
    let inner = use_memo((), |_| Inner::default());
    let force = use_force_update();
    let update = use_memo((), move |_| Callback::from(move |_| force.force_update()));
    let wait = Wait {
        inner: Rc::clone(&inner),
        update: (*update).clone(),
    };
    {
        let wait = wait.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1000, move || {
                if wait.inner.waiting.borrow().is_some() {
                    wait.update.emit(());
                }
            });
            move || drop(tick)
        });
    }
    wait
}

/// The wait beside what waits for it: nothing for the first 3 s, then the service, the
/// seconds and a Cancel (whose hint says that a write may still be carried out).
pub fn wait_view(wait: &Wait) -> Html {
    let Some((text, write)) = wait.shown() else {
        return Html::default();
    };
    let cancel = {
        let wait = wait.clone();
        Callback::from(move |_| wait.cancel())
    };
    html! {
        <p class="waiting-for" role="status" data-testid="waiting">
            <span>{ text }</span>{" "}
            <button type="button" onclick={cancel}>{"Cancel"}</button>{" "}
            <span class="hint">{ ims_api::wait::cancel_hint(write) }</span>
        </p>
    }
}
