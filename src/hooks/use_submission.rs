use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use ims_api::ApiError;
use yew::prelude::*;

use super::{use_wait, wait_view, Wait};
use crate::api::Api;

/// One request at a time from a form or a set of buttons: while one runs, another click sends
/// nothing, the view shows it is busy, and a failure stays on screen until the next try.
/// `E` is what the view shows of a failure (the typed error, or a sentence built from it).
pub struct Submission<E: 'static = ApiError> {
    busy: UseStateHandle<bool>,
    // Set at once: `busy` shows only from the next render, and a double click comes before it.
    running: Rc<Cell<bool>>,
    error: UseStateHandle<Option<E>>,
    /// The wait of what the work sends through [`Submission::api`].
    wait: Wait,
}

// By hand: a derived Clone would ask `E: Clone`, which the handles do not need.
impl<E> Clone for Submission<E> {
    fn clone(&self) -> Self {
        Self {
            busy: self.busy.clone(),
            running: self.running.clone(),
            error: self.error.clone(),
            wait: self.wait.clone(),
        }
    }
}

#[hook]
pub fn use_submission<E: 'static>() -> Submission<E> {
    let busy = use_state(|| false);
    let running = use_memo((), |_| Cell::new(false));
    let error = use_state(|| None::<E>);
    let wait = use_wait();
    Submission {
        busy,
        running,
        error,
        wait,
    }
}

impl<E: 'static> Submission<E> {
    pub fn busy(&self) -> bool {
        *self.busy
    }

    pub fn error(&self) -> Option<&E> {
        self.error.as_ref()
    }

    /// A failure found before anything is sent, shown where a failed request's would be.
    pub fn fail(&self, error: E) {
        self.error.set(Some(error));
    }

    /// The wait itself, for work that sends without an API handle (the sign-in).
    pub fn wait(&self) -> Wait {
        self.wait.clone()
    }

    /// `api`, its waits shown by [`Submission::wait_view`] and cancellable there.
    pub fn api(&self, api: &Api) -> Api {
        api.watched(&self.wait)
    }

    /// "Waiting for IMS… 5 s" with a Cancel, beside the form's button, while its request has
    /// no answer.
    pub fn wait_view(&self) -> Html {
        wait_view(&self.wait)
    }

    pub fn clear_error(&self) {
        self.error.set(None);
    }

    /// Starts `work` unless one is still running (then returns false and sends nothing).
    /// What succeeds is for `work` to show; its error is kept for the view.
    pub fn run(&self, work: impl Future<Output = Result<(), E>> + 'static) -> bool {
        if self.running.replace(true) {
            return false;
        }
        self.busy.set(true);
        self.error.set(None);
        self.wait.start_operation();
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = work.await;
            this.running.set(false);
            this.busy.set(false);
            if let Err(e) = result {
                this.error.set(Some(e));
            }
        });
        true
    }
}
