// The indikator extension: highlighting comes from the TextMate grammar declared in
// package.json; this file only starts the language server, `indikator lsp`, over stdio
// and restarts it on demand or when its settings change.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;
let watcher; // one for the extension's life, handed to every client

function serverOptions() {
  const config = vscode.workspace.getConfiguration("indikator");
  const command = config.get("server.path") || "indikator";
  // A relative path (".venv/bin/indikator") is taken from the first workspace folder.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const run = { command, args: ["lsp"], transport: TransportKind.stdio, options: { cwd: folder } };
  return { run, debug: run };
}

async function start() {
  if (!vscode.workspace.getConfiguration("indikator").get("server.enabled", true)) return;
  const lang = vscode.workspace.getConfiguration("indikator").get("server.lang", "");
  client = new LanguageClient("indikator", "indikator language server", serverOptions(), {
    documentSelector: [{ language: "indikator" }],
    // "id" or "en" for the diagnostics' language; empty: the server follows the locale.
    initializationOptions: lang ? { lang } : {},
    synchronize: {
      // Parameter files and imported catalogues change what a ruleset means.
      fileEvents: watcher,
    },
  });
  try {
    await client.start();
  } catch (error) {
    const path = serverOptions().run.command;
    vscode.window.showErrorMessage(
      `indikator: could not start "${path} lsp" (${error.message}). Install indikator ` +
        "or set indikator.server.path to its executable.",
    );
  }
}

async function restart() {
  if (client) {
    const old = client;
    client = undefined;
    await old.stop().catch(() => undefined);
  }
  await start();
}

async function activate(context) {
  watcher = vscode.workspace.createFileSystemWatcher("**/*.{ikr,toml}");
  context.subscriptions.push(
    watcher,
    { dispose: () => client?.stop() },
    vscode.commands.registerCommand("indikator.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((event) =>
      event.affectsConfiguration("indikator.server") ? restart() : undefined,
    ),
  );
  await start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
