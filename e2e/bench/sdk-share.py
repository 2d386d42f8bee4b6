"""Benchmark helper: the same shares made with openstacksdk, one call after another, as a
script in a loop would. Prints {"ms": …, "failed": …} as JSON.
Usage: sdk-share.py SEED_JSON IMAGE_ID… -- PROJECT_ID…"""
import json
import sys
import time

import openstack

seed = json.load(open(sys.argv[1]))
sep = sys.argv.index('--')
images, projects = sys.argv[2:sep], sys.argv[sep + 1:]
owner = seed['users']['owner']
conn = openstack.connect(
    auth_url=f"{seed['keystone']}/v3", username='owner', password=owner['password'],
    project_name=owner['project'], user_domain_name='Default', project_domain_name='Default',
    region_name='RegionOne')
conn.image.get_image(images[0])  # the token and the catalog, before the clock starts
failed = 0
t0 = time.monotonic()
for image in images:
    for project in projects:
        try:
            conn.image.add_member(image, member_id=project)
        except Exception:  # noqa: BLE001 - a failure is counted, as the console counts it
            failed += 1
print(json.dumps({'ms': (time.monotonic() - t0) * 1000, 'failed': failed}))
