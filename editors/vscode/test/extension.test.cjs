// Runs extension.js outside VS Code, with `vscode` and the language client replaced by
// recording fakes, and checks what it starts: `<indikator.server.path> lsp` over stdio for
// the indikator language, restarted when the setting changes, not started when disabled.
//
//   node test/extension.test.cjs        (run by `nox -s vscode`)

"use strict";

const assert = require("node:assert/strict");
const Module = require("node:module");
const path = require("node:path");

const started = [];
const stopped = [];
let settings = {};
let onConfigurationChange;

class FakeClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions });
  }
  async start() {
    started.push(this);
  }
  async stop() {
    stopped.push(this);
  }
}

const fakes = {
  vscode: {
    workspace: {
      getConfiguration: () => ({ get: (key, fallback) => settings[key] ?? fallback }),
      workspaceFolders: [{ uri: { fsPath: "/project" } }],
      createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
      onDidChangeConfiguration: (listener) => {
        onConfigurationChange = listener;
        return { dispose() {} };
      },
    },
    commands: { registerCommand: (name) => ({ name, dispose() {} }) },
    window: { showErrorMessage: (message) => assert.fail(message) },
  },
  "vscode-languageclient/node": { LanguageClient: FakeClient, TransportKind: { stdio: 0 } },
};

const load = Module._load;
Module._load = function (request, parent, isMain) {
  return request in fakes ? fakes[request] : load.call(this, request, parent, isMain);
};

async function main() {
  const extension = require(path.join(__dirname, "..", "extension.js"));
  const context = { subscriptions: [] };

  settings = {};
  await extension.activate(context);
  assert.equal(started.length, 1);
  const [client] = started;
  assert.deepEqual(client.serverOptions.run, {
    command: "indikator",
    args: ["lsp"],
    transport: 0,
    options: { cwd: "/project" },
  });
  assert.deepEqual(client.clientOptions.documentSelector, [{ language: "indikator" }]);
  assert.equal(client.clientOptions.synchronize.fileEvents.glob, "**/*.{ikr,toml}");
  assert.deepEqual(client.clientOptions.initializationOptions, {});

  // A changed path restarts the server with it.
  settings = { "server.path": "/opt/venv/bin/indikator" };
  await onConfigurationChange({ affectsConfiguration: (s) => s === "indikator.server" });
  assert.deepEqual(stopped, [client]);
  assert.equal(started.length, 2);
  assert.equal(started[1].serverOptions.run.command, "/opt/venv/bin/indikator");
  assert.deepEqual(started[1].serverOptions.run.args, ["lsp"]);

  // A chosen language reaches the server as its initialization option.
  settings = { "server.lang": "id" };
  await onConfigurationChange({ affectsConfiguration: (s) => s === "indikator.server" });
  assert.equal(started.length, 3);
  assert.deepEqual(started[2].clientOptions.initializationOptions, { lang: "id" });

  // Disabled: stopped, and not started again.
  settings = { "server.enabled": false };
  await onConfigurationChange({ affectsConfiguration: (s) => s === "indikator.server" });
  assert.equal(started.length, 3);
  assert.deepEqual(stopped, [client, started[1], started[2]]);
  console.log("extension.js starts, restarts and stops `indikator lsp` as configured");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
