"""Huawei's own Python SDK (huaweicloudsdkims, pinned in requirements.txt) drives the sandbox.

The vendor's SDK models are the contract of IMS as it stands in 2026: if the sandbox answers
in a shape the SDK does not read, a model field stays empty and the check below names it. The
sandbox is written from the API notes, never from the console's crate, so this is an outside
check of both.

The SDK signs every call with an access key (AK/SK). The sandbox takes IAM tokens instead, as
IMS also does: a request handler adds `X-Auth-Token`, and the signature is sent but not read.

Usage: python ims_sdk_contract.py http://127.0.0.1:PORT
"""

import json
import sys
import time
import urllib.request

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkims.v2 import (
    BatchAddMembersRequest,
    BatchAddMembersRequestBody,
    BatchDeleteMembersRequest,
    BatchUpdateMembersRequest,
    BatchUpdateMembersRequestBody,
    ImsClient,
    ListImageMembersRequest,
    ShowImageQuotaRequest,
    ShowJobRequest,
)

BASE = sys.argv[1].rstrip("/")
URN = "organizations::" + "0123456789abcdef" * 2 + ":ou:o-abc123/ou-def456"
failures = []
passed = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    (passed if ok else failures).append(what)


def http_json(method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method)
    req.add_header("Accept", "application/json")
    data = None
    if body is not None:
        req.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(req, data) as r:
        return r.status, dict(r.headers), json.loads(r.read() or b"null")


def token(user, password, project):
    _, headers, body = http_json("POST", "/v3/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {"name": user, "password": password, "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}})
    subject = next(v for k, v in headers.items() if k.lower() == "x-subject-token")
    return subject, body["token"]["project"]["id"]


def client(user, password, project):
    tok, project_id = token(user, password, project)
    handler = HttpHandler().add_request_handler(
        lambda **kw: kw["request"].header_params.update({"X-Auth-Token": tok}))
    c = (ImsClient.new_builder()
         .with_credentials(BasicCredentials("SANDBOXAK", "sandbox-sk", project_id))
         .with_endpoints([BASE])
         .with_http_handler(handler)
         .build())
    return c, project_id


def wait_job(c, job_id):
    for _ in range(400):
        job = c.show_job(ShowJobRequest(job_id=job_id))
        if job.status in ("SUCCESS", "FAIL"):
            return job
        time.sleep(0.05)
    raise SystemExit(f"job {job_id} never ended")


def main():
    _, _, seed = http_json("GET", "/__admin/seed")
    image = seed["images"]["debian-12-hardened"]["id"]
    dev_project = seed["projects"]["acme-dev"]
    globex = seed["domains"]["globex"]
    owner, _ = client("owner", "Owner-Pass-1", "acme-images")

    body = BatchAddMembersRequestBody(images=[image], projects=[dev_project], domains=[globex], organizations=[URN])
    added = owner.batch_add_members(BatchAddMembersRequest(body=body))
    check(bool(added.job_id), "batch_add_members answers a job_id")
    job = wait_job(owner, added.job_id)
    check(job.status == "SUCCESS", f"the add job succeeds ({job.status} {job.fail_reason})")
    check(job.job_type == "imsAddImageMembersJob" and bool(job.begin_time) and bool(job.end_time),
          "show_job fills job_type, begin_time and end_time")
    check(job.entities is not None and len(job.entities.results or []) == 3,
          "show_job fills entities.results, one per member")

    members, marker, pages = [], None, 0
    while True:
        page = owner.list_image_members(ListImageMembersRequest(image_id=image, limit=1, marker=marker))
        pages += 1
        check(page.page_info is not None and page.page_info.current_count == 1,
              f"page {pages} of one has page_info.current_count 1")
        members += page.members or []
        marker = page.page_info.next_marker if page.page_info else None
        if not marker:
            break
    check(pages == 3, f"three members come on three pages of one ({pages})")
    kinds = sorted(m.member_type for m in members)
    check(kinds == ["domain", "organization", "project"], f"each member has its member_type ({kinds})")
    org = next((m for m in members if m.member_type == "organization"), None)
    check(org is not None and org.urn == URN, "the organization has its urn")
    check(all(m.status == "pending" and m.created_at and m.updated_at and m.image_id == image and m.schema
              for m in members), "status, created_at, updated_at, image_id and schema are filled")

    dev, _ = client("dev", "Dev-Pass-1", "acme-dev")
    answer = BatchUpdateMembersRequestBody(images=[image], project_id=dev_project, status="accepted")
    updated = dev.batch_update_members(BatchUpdateMembersRequest(body=answer))
    job = wait_job(dev, updated.job_id)
    check(job.status == "SUCCESS", "batch_update_members: the recipient's accept job succeeds")
    _, _, seed = http_json("GET", "/__admin/seed")
    check(seed["images"]["debian-12-hardened"]["members"].get(dev_project) == "accepted",
          "the recipient project is accepted")

    gone = BatchAddMembersRequestBody(images=[image], domains=[globex], organizations=[URN])
    deleted = owner.batch_delete_members(BatchDeleteMembersRequest(body=gone))
    job = wait_job(owner, deleted.job_id)
    check(job.status == "SUCCESS", "batch_delete_members: the delete job succeeds")
    left = owner.list_image_members(ListImageMembersRequest(image_id=image)).members or []
    check([m.member_type for m in left] == ["project"], "only the project is left")

    quota = owner.show_image_quota(ShowImageQuotaRequest())
    types = {r.type: r for r in (quota.quotas.resources if quota.quotas else [])}
    check(set(types) == {"image", "image_shared", "image_member"}, f"show_image_quota lists the three types ({sorted(types)})")
    m = types.get("image_member")
    check(m is not None and m.quota == 256 and m.used is not None and m.min is not None and m.max is not None,
          "image_member has used, quota, min and max")

    # The line the test command counts, in cargo's words.
    print(f"test result: {'FAILED' if failures else 'ok'}. {len(passed)} passed; {len(failures)} failed")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
