//! Runtime configuration, read from `config.json` beside the app so one build serves every
//! cloud: nothing here is fixed at build time.

use serde::{Deserialize, Serialize};

use crate::members::MemberKind;

/// Which API family the image endpoint speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    /// Probe `/v1/cloudimages/quota` after sign-in: IMS if it answers, Glance otherwise.
    #[default]
    Auto,
    /// Huawei Cloud / Open Telekom Cloud IMS: batch jobs and `/v2/cloudimages`.
    Ims,
    /// Plain OpenStack Glance v2: native member calls only.
    Glance,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// IAM / Keystone base URL, without `/v3`. Empty: the page's own origin (a reverse proxy).
    pub iam_url: String,
    /// IMS / Glance base URL, without a version. Empty: the catalog's image endpoint, else
    /// the page's own origin.
    pub ims_url: String,
    pub flavor: Flavor,
    pub region: String,
    pub default_domain: String,
    /// Projects per `POST /v1/cloudimages/members` call (the vendor console takes 100).
    pub chunk_size: usize,
    /// Parallel native calls in the Glance flavor.
    pub concurrency: usize,
    /// Page size of image lists.
    pub page_size: usize,
    /// How long any request may wait for its answer, in seconds.
    pub request_timeout_s: u32,
    /// Embedding in a portal: off unless origins are listed.
    pub embed: Embed,
    /// Whom images may be shared with: `project` everywhere; `domain` (accounts) and
    /// `organization` on Huawei Cloud's IMS. A kind not listed is never offered or sent.
    pub member_kinds: Vec<MemberKind>,
}

/// Which portals may frame the console and talk to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Embed {
    /// Origins (`https://portal.example`) allowed to frame the console; empty: none may.
    pub allowed_origins: Vec<String>,
    /// Keep the console's own sign-in form as a fallback when embedded.
    pub sign_in: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            iam_url: String::new(),
            ims_url: String::new(),
            flavor: Flavor::Auto,
            region: String::new(),
            default_domain: String::new(),
            chunk_size: 100,
            concurrency: 8,
            page_size: 500,
            request_timeout_s: 30,
            embed: Embed::default(),
            member_kinds: vec![MemberKind::Project],
        }
    }
}

impl Config {
    /// Whether images may be shared with members of `kind` here (on the Glance flavor,
    /// projects only, whatever the list says).
    pub fn offers(&self, kind: MemberKind, ims: bool) -> bool {
        kind == MemberKind::Project || (ims && self.member_kinds.contains(&kind))
    }

    /// The deadline of a job poll: shorter than other calls, as the next poll follows anyway.
    pub fn poll_timeout_s(&self) -> u32 {
        self.request_timeout_s.min(10)
    }

    /// The base URL of image calls. `ims_url` wins when set; a path (`/`, `/ims`) is on this
    /// site, as behind the reverse proxy, where the catalog's own endpoint is out of reach.
    /// Empty: the catalog's endpoint, else this site. `{region}` in `ims_url` becomes the
    /// session's region (a proxy with one path per region).
    pub fn image_base(&self, catalog: Option<&str>, region: &str) -> String {
        let region = if region.is_empty() {
            self.region.as_str()
        } else {
            region
        };
        let url = self.ims_url.trim().replace("{region}", region);
        let url = url.as_str();
        if url.starts_with('/') {
            url.trim_end_matches('/').to_string()
        } else if url.is_empty() {
            catalog.unwrap_or_default().to_string()
        } else {
            url.to_string()
        }
    }

    /// Parses `config.json`, clamping numbers to what the services accept.
    ///
    /// # Errors
    /// The text is not JSON of this shape; the message names the problem.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let mut c: Config =
            serde_json::from_str(text).map_err(|e| format!("config.json is not valid: {e}"))?;
        c.chunk_size = c.chunk_size.clamp(1, 1000);
        c.concurrency = c.concurrency.clamp(1, 64);
        c.page_size = c.page_size.clamp(1, 1000);
        c.request_timeout_s = c.request_timeout_s.clamp(1, 600);
        for origin in &c.embed.allowed_origins {
            check_portal_origin(origin)?;
        }
        // Projects are always offered; each kind once, in the order of MemberKind.
        c.member_kinds.push(MemberKind::Project);
        c.member_kinds.sort();
        c.member_kinds.dedup();
        Ok(c)
    }
}

/// A portal origin a token may be handed to and the console framed by: one named host, over
/// https, or over http on this machine only (a portal in development). A wildcard would let
/// any page under a domain frame the console and send it sessions; plain http lets anyone on
/// the path read them.
///
/// # Errors
/// The entry is a wildcard or a remote http origin; the message names it.
pub fn check_portal_origin(origin: &str) -> Result<(), String> {
    let o = origin.trim().to_ascii_lowercase();
    if o.contains('*') {
        return Err(format!(
            "config.json: embed.allowed_origins may not hold a wildcard ({origin}): name each portal's origin."
        ));
    }
    if let Some(rest) = o.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        };
        if !matches!(host, "localhost" | "127.0.0.1" | "[::1]") {
            return Err(format!(
                "config.json: embed.allowed_origins may not hold a plain http origin ({origin}): use https (http only for localhost and 127.0.0.1)."
            ));
        }
    }
    Ok(())
}

/// Reads the answer to `GET /v1/cloudimages/quota`, the probe of [`Flavor::Auto`]: IMS
/// answers a quota set; plain Glance has no such path and answers 404, or 300 (its version
/// list) as Glance 33 does. `None` when the answer says neither (an outage): the caller
/// assumes IMS and the next sign-in probes again.
pub fn flavor_from_probe(status: u16, body: &str) -> Option<Flavor> {
    match status {
        200..=299 if serde_json::from_str::<crate::quota::QuotaAnswer>(body).is_ok() => {
            Some(Flavor::Ims)
        }
        200..=299 | 300 | 404 | 405 => Some(Flavor::Glance),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_kinds_default_to_projects_and_other_kinds_only_on_ims() {
        let c = Config::from_json("{}").unwrap();
        assert_eq!(c.member_kinds, vec![MemberKind::Project]);
        assert!(!c.offers(MemberKind::Domain, true));
        let c = Config::from_json(r#"{"member_kinds": ["organization", "domain"]}"#).unwrap();
        assert_eq!(
            c.member_kinds,
            vec![
                MemberKind::Project,
                MemberKind::Domain,
                MemberKind::Organization
            ]
        );
        assert!(c.offers(MemberKind::Organization, true));
        assert!(
            !c.offers(MemberKind::Domain, false),
            "Glance has projects only"
        );
        assert!(Config::from_json(r#"{"member_kinds": ["team"]}"#).is_err());
    }

    #[test]
    fn the_probe_tells_ims_from_glance() {
        let quota = r#"{"quotas":{"resources":[{"type":"image_member","used":1,"quota":256}]}}"#;
        assert_eq!(flavor_from_probe(200, quota), Some(Flavor::Ims));
        assert_eq!(
            flavor_from_probe(300, r#"{"versions":[]}"#),
            Some(Flavor::Glance)
        );
        assert_eq!(flavor_from_probe(404, "Not Found"), Some(Flavor::Glance));
        assert_eq!(
            flavor_from_probe(200, "<html>portal</html>"),
            Some(Flavor::Glance)
        );
        assert_eq!(flavor_from_probe(503, ""), None);
    }

    #[test]
    fn the_image_base_is_the_config_then_the_catalog_and_a_path_means_this_site() {
        let with = |ims_url: &str| Config {
            ims_url: ims_url.into(),
            ..Config::default()
        };
        assert_eq!(
            with("").image_base(Some("https://ims.example.com"), ""),
            "https://ims.example.com"
        );
        assert_eq!(with("").image_base(None, ""), "");
        assert_eq!(
            with("/").image_base(Some("https://ims.example.com"), ""),
            ""
        );
        assert_eq!(with("/ims/").image_base(None, ""), "/ims");
        assert_eq!(
            with("http://127.0.0.1:9292").image_base(Some("x"), ""),
            "http://127.0.0.1:9292"
        );
        assert_eq!(
            with("/ims/{region}/").image_base(None, "eu-nl"),
            "/ims/eu-nl"
        );
        let c = Config {
            ims_url: "https://proxy.example/{region}".into(),
            region: "eu-de".into(),
            ..Config::default()
        };
        assert_eq!(
            c.image_base(None, ""),
            "https://proxy.example/eu-de",
            "no session region: the configured one"
        );
    }

    #[test]
    fn missing_fields_take_defaults() {
        let c = Config::from_json(r#"{"flavor":"glance","region":"RegionOne"}"#).unwrap();
        assert_eq!(c.flavor, Flavor::Glance);
        assert_eq!(c.chunk_size, 100);
        assert_eq!(c.concurrency, 8);
    }

    #[test]
    fn wildcard_and_remote_http_portals_are_refused_by_name() {
        for bad in [
            "https://*.portal.example",
            "*",
            "http://portal.example",
            "http://10.0.0.5:8080",
        ] {
            let text =
                format!(r#"{{"embed":{{"allowed_origins":["https://ok.example","{bad}"]}}}}"#);
            let e = Config::from_json(&text).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
        for good in [
            "https://portal.example",
            "http://localhost:8081",
            "http://127.0.0.1:8081",
        ] {
            let text = format!(r#"{{"embed":{{"allowed_origins":["{good}"]}}}}"#);
            assert!(Config::from_json(&text).is_ok(), "{good}");
        }
    }

    #[test]
    fn numbers_are_clamped_and_bad_flavors_refused() {
        let c = Config::from_json(r#"{"chunk_size":0,"concurrency":1000}"#).unwrap();
        assert_eq!((c.chunk_size, c.concurrency), (1, 64));
        assert!(Config::from_json(r#"{"flavor":"nova"}"#)
            .unwrap_err()
            .contains("config.json"));
    }
}
