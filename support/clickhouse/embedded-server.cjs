// The embedded engine's process entry (embedded.ts starts it). tsx's require hook compiles the server in this
// thread; `node --import tsx` would first start a module-loader thread: about 0.3 s of CPU per engine.
require('tsx/cjs');
require('./embedded-server.ts');
