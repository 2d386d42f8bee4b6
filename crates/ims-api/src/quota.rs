//! `GET /v1/cloudimages/quota`: how many members the project may still add.

use serde::Deserialize;

use crate::request::{ApiRequest, Service};

pub fn get() -> ApiRequest {
    ApiRequest::get(Service::Image, "/v1/cloudimages/quota")
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct QuotaResource {
    #[serde(rename = "type")]
    pub kind: String,
    pub used: i64,
    pub quota: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct QuotaSet {
    pub resources: Vec<QuotaResource>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct QuotaAnswer {
    pub quotas: QuotaSet,
}

impl QuotaAnswer {
    pub fn resource(&self, kind: &str) -> Option<&QuotaResource> {
        self.quotas.resources.iter().find(|r| r.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_member_quota() {
        let q: QuotaAnswer = serde_json::from_str(r#"{"quotas":{"resources":[{"type":"image","used":3,"quota":100},{"type":"image_member","used":5,"quota":256}]}}"#).unwrap();
        assert_eq!(q.resource("image_member").unwrap().quota, 256);
        assert!(q.resource("image_shared").is_none());
    }
}
