#!/usr/bin/env python3
"""Seeds the local Keystone and Glance for the console's tests; converges on every run.

  seed.py keystone   roles, projects, users, the image endpoint in the catalog
  seed.py glance     the owner's images and their members; writes $OS_BASE/seed.json
"""
import json
import os
import sys
import urllib.error
import urllib.request

BASE = os.environ['OS_BASE']
KS = f"http://127.0.0.1:{os.environ.get('OS_KS_PORT', '5000')}/v3"
GL = f"http://127.0.0.1:{os.environ.get('OS_GL_PORT', '9292')}"
PROJECTS = ['owner', 'consumer1', 'consumer2', 'service']
USERS = {  # name: (password, project, roles)
    'owner': ('Owner-Pass-1', 'owner', ['member', 'reader']),
    'consumer1': ('Consumer1-Pass-1', 'consumer1', ['member', 'reader']),
    'consumer2': ('Consumer2-Pass-1', 'consumer2', ['member', 'reader']),
    'glance': (os.environ.get('OS_GLANCE_PASSWORD', 'Glance-Pass-1'), 'service', ['admin']),
}
# The owner works in consumer2 as well: "also accept in my projects" has a project of its own
# to accept in there.
ALSO_MEMBER_OF = {'owner': ['consumer2']}
# name: (visibility, {member user: status})
IMAGES = {
    'seed-private': ('private', {}),
    'seed-shared': ('shared', {}),
    'seed-shared-pending': ('shared', {'consumer1': 'pending'}),
    'seed-shared-accepted': ('shared', {'consumer1': 'accepted', 'consumer2': 'pending'}),
    'seed-shared-rejected': ('shared', {'consumer1': 'rejected'}),
}
# Ten more for the benchmark (10 images x 20 projects).
IMAGES.update({f'bench-{n:02d}': ('shared', {}) for n in range(10)})


def call(method, url, token=None, body=None, ok=(200, 201, 204), ctype='application/json'):
    headers = {'Accept': 'application/json'}
    data = None
    if token:
        headers['X-Auth-Token'] = token
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers['Content-Type'] = ctype
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, hdrs, raw = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, e.headers, e.read()
    if status not in ok:
        raise SystemExit(f'{method} {url}: {status} {raw[:300]!r}')
    return status, hdrs, (json.loads(raw) if raw and 'json' in (hdrs.get('Content-Type') or '') else None)


def token(user, password, project):
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {'name': user, 'domain': {'id': 'default'}, 'password': password}}},
                     'scope': {'project': {'name': project, 'domain': {'id': 'default'}}}}}
    return call('POST', f'{KS}/auth/tokens', body=body, ok=(201,))[1]['X-Subject-Token']


def first(url, key, tok):
    items = call('GET', url, tok)[2][key]
    return items[0] if items else None


def seed_keystone():
    tok = token('admin', os.environ.get('OS_ADMIN_PASSWORD', 'Admin-Pass-1'), 'admin')
    roles = {}
    for r in ('admin', 'member', 'reader'):
        found = first(f'{KS}/roles?name={r}', 'roles', tok) or call('POST', f'{KS}/roles', tok, {'role': {'name': r}})[2]['role']
        roles[r] = found['id']
    projects = {}
    for p in PROJECTS:
        found = first(f'{KS}/projects?name={p}', 'projects', tok) or call('POST', f'{KS}/projects', tok, {'project': {'name': p, 'domain_id': 'default'}})[2]['project']
        projects[p] = found['id']
    for name, (password, project, role_names) in USERS.items():
        u = first(f'{KS}/users?name={name}', 'users', tok) or call('POST', f'{KS}/users', tok, {'user': {'name': name, 'domain_id': 'default', 'password': password, 'default_project_id': projects[project]}})[2]['user']
        for p in [project] + ALSO_MEMBER_OF.get(name, []):
            for r in role_names:
                call('PUT', f"{KS}/projects/{projects[p]}/users/{u['id']}/roles/{roles[r]}", tok)
    svc = first(f'{KS}/services?type=image', 'services', tok) or call('POST', f'{KS}/services', tok, {'service': {'type': 'image', 'name': 'glance'}})[2]['service']
    if not first(f"{KS}/endpoints?service_id={svc['id']}&interface=public", 'endpoints', tok):
        call('POST', f'{KS}/endpoints', tok, {'endpoint': {'service_id': svc['id'], 'interface': 'public', 'region_id': 'RegionOne', 'url': GL}})
    with open(os.path.join(BASE, 'projects.json'), 'w') as f:
        json.dump(projects, f)
    print('keystone seeded:', ', '.join(PROJECTS))


def seed_glance():
    with open(os.path.join(BASE, 'projects.json')) as f:
        projects = json.load(f)
    toks = {u: token(u, USERS[u][0], USERS[u][1]) for u in ('owner', 'consumer1', 'consumer2')}
    own = toks['owner']
    existing = {i['name']: i for i in call('GET', f"{GL}/v2/images?owner={projects['owner']}&limit=1000", own)[2]['images']}
    images = {}
    for name, (visibility, members) in IMAGES.items():
        im = existing.get(name) or call('POST', f'{GL}/v2/images', own, {'name': name, 'visibility': visibility, 'disk_format': 'raw', 'container_format': 'bare'}, ok=(201,))[2]
        # Glance keeps the members of an image made private (they come back when it is
        # shared again) and hides them meanwhile: members are cleared while it is shared.
        if im['visibility'] != 'shared':
            call('PATCH', f"{GL}/v2/images/{im['id']}", own, [{'op': 'replace', 'path': '/visibility', 'value': 'shared'}], ctype='application/openstack-images-v2.1-json-patch')
            im['visibility'] = 'shared'
        current = {m['member_id'] for m in call('GET', f"{GL}/v2/images/{im['id']}/members", own)[2]['members']}
        for pid in current - {projects[u] for u in members}:
            call('DELETE', f"{GL}/v2/images/{im['id']}/members/{pid}", own)
        if im['visibility'] != visibility:
            call('PATCH', f"{GL}/v2/images/{im['id']}", own, [{'op': 'replace', 'path': '/visibility', 'value': visibility}], ctype='application/openstack-images-v2.1-json-patch')
        if im['status'] == 'queued' and not name.startswith('bench-'):
            call('PUT', f"{GL}/v2/images/{im['id']}/file", own, f'{name}\n'.encode(), ctype='application/octet-stream')
        for user, status in members.items():
            pid = projects[user]
            if pid not in current:
                call('POST', f"{GL}/v2/images/{im['id']}/members", own, {'member': pid})
            call('PUT', f"{GL}/v2/images/{im['id']}/members/{pid}", toks[user], {'status': status})
        images[name] = im['id']
    out = {'keystone': f"http://127.0.0.1:{os.environ.get('OS_KS_PORT', '5000')}", 'glance': GL, 'domain': 'Default',
           'projects': projects, 'users': {u: {'password': p, 'project': pr} for u, (p, pr, _) in USERS.items() if u != 'glance'},
           'images': images}
    with open(os.path.join(BASE, 'seed.json'), 'w') as f:
        json.dump(out, f, indent=1)
    print('glance seeded:', len(images), 'images')


if __name__ == '__main__':
    {'keystone': seed_keystone, 'glance': seed_glance}[sys.argv[1]]()
