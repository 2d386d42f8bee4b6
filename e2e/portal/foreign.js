// From an origin the console does not allow: hand it a valid token through the parent's
// frame list, as a hostile page would. The console must ignore it.
const token = new URLSearchParams(location.search).get('token');
parent.frames[0].postMessage({ type: 'ims-console:session', token }, '*');
parent.postMessage({ foreignPosted: true }, '*');
