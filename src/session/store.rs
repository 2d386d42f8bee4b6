//! sessionStorage, the only place the token is kept, with an in-memory fallback for when the
//! browser blocks storage (private modes, sandboxed iframes in portals): the tab then works
//! but forgets on reload.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_storage::{SessionStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub const SESSION_KEY: &str = "ims-share-console.session";
pub const JOBS_KEY: &str = "ims-share-console.jobs";
pub const SETTINGS_KEY: &str = "ims-share-console.settings";

thread_local! {
    static MEMORY: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static FORCE_MEMORY: RefCell<bool> = const { RefCell::new(false) };
}

/// Tests use this to act as if the browser refused storage.
pub fn force_memory_fallback(on: bool) {
    FORCE_MEMORY.with(|f| *f.borrow_mut() = on);
}

fn storage_usable() -> bool {
    !FORCE_MEMORY.with(|f| *f.borrow())
}

/// Saves to sessionStorage; when the browser refuses (blocked, or full: a quota error), the
/// value is kept in memory for this tab instead, and wins over any older stored copy.
pub fn save<T: Serialize>(key: &str, value: &T) {
    if storage_usable() && SessionStorage::set(key, value).is_ok() {
        MEMORY.with(|m| m.borrow_mut().remove(key));
        return;
    }
    let Ok(text) = serde_json::to_string(value) else {
        return;
    };
    MEMORY.with(|m| m.borrow_mut().insert(key.to_string(), text));
}

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    if let Some(v) = MEMORY.with(|m| {
        m.borrow()
            .get(key)
            .and_then(|t| serde_json::from_str(t).ok())
    }) {
        return Some(v);
    }
    if storage_usable() {
        if let Ok(v) = SessionStorage::get::<T>(key) {
            return Some(v);
        }
    }
    None
}

pub fn remove(key: &str) {
    if storage_usable() {
        SessionStorage::delete(key);
    }
    MEMORY.with(|m| m.borrow_mut().remove(key));
}
