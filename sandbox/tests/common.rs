//! A sandbox on a free port and a tiny HTTP helper for its tests.
#![allow(dead_code)]

use serde_json::{json, Value};

pub struct Sb {
    pub base: String,
    pub seed: Value,
}

pub struct Answer {
    pub status: u16,
    pub text: String,
    pub headers: Vec<(String, String)>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn call(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut req = ureq::request(method, url).set("Accept", "application/json");
    if let Some(t) = token {
        req = req.set("X-Auth-Token", t);
    }
    for (k, v) in extra {
        req = req.set(k, v);
    }
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let resp = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let headers = resp
        .headers_names()
        .into_iter()
        .map(|n| (n.clone(), resp.header(&n).unwrap_or("").to_string()))
        .collect();
    let status = resp.status();
    Answer {
        status,
        headers,
        text: resp.into_string().unwrap_or_default(),
    }
}

impl Sb {
    pub fn start(options: ims_sandbox::Options) -> Self {
        let base = ims_sandbox::spawn(options);
        let seed = call("GET", &format!("{base}/__admin/seed"), None, None, &[]).json();
        Sb { base, seed }
    }
    pub fn fast() -> Self {
        Self::start(ims_sandbox::Options {
            job_delay_ms: (60, 60),
            ..Default::default()
        })
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    pub fn project(&self, name: &str) -> String {
        self.seed["projects"][name]
            .as_str()
            .expect("project")
            .to_string()
    }
    pub fn image(&self, name: &str) -> String {
        self.seed["images"][name]["id"]
            .as_str()
            .expect("image")
            .to_string()
    }
    pub fn login(&self, user: &str, password: &str, project: &str) -> String {
        let a = call(
            "POST",
            &self.url("/v3/auth/tokens"),
            None,
            Some(login_body(user, password, project)),
            &[],
        );
        assert_eq!(a.status, 201, "{}", a.text);
        a.header("x-subject-token")
            .expect("token header")
            .to_string()
    }
    pub fn owner(&self) -> String {
        self.login("owner", "Owner-Pass-1", "acme-images")
    }
    pub fn dev(&self) -> String {
        self.login("dev", "Dev-Pass-1", "acme-dev")
    }
    pub fn get(&self, path: &str, token: &str) -> Answer {
        call("GET", &self.url(path), Some(token), None, &[])
    }
    pub fn send(&self, method: &str, path: &str, token: &str, body: Value) -> Answer {
        call(method, &self.url(path), Some(token), Some(body), &[])
    }
    /// Polls a job until SUCCESS or FAIL; returns the final job and the statuses seen.
    pub fn wait_job(&self, project: &str, job_id: &str, token: &str) -> (Value, Vec<String>) {
        let mut seen = Vec::new();
        for _ in 0..200 {
            let j = self
                .get(&format!("/v1/{project}/jobs/{job_id}"), token)
                .json();
            let s = j["status"].as_str().unwrap().to_string();
            if seen.last() != Some(&s) {
                seen.push(s.clone());
            }
            if s == "SUCCESS" || s == "FAIL" {
                return (j, seen);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("job {job_id} never ended: {seen:?}");
    }
    pub fn admin(&self, path: &str, body: Value) -> Answer {
        call(
            "POST",
            &self.url(&format!("/__admin/{path}")),
            None,
            Some(body),
            &[],
        )
    }
    pub fn member_status(&self, image: &str, project_name: &str) -> Option<String> {
        let seed = call("GET", &self.url("/__admin/seed"), None, None, &[]).json();
        seed["images"][image]["members"][self.project(project_name)]
            .as_str()
            .map(str::to_string)
    }
}

pub fn login_body(user: &str, password: &str, project: &str) -> Value {
    json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": user, "password": password, "domain": {"name": "Default"}}}},
                    "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}})
}
