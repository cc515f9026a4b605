#!/usr/bin/env node
// An UNMODIFIED use of the npm package mesos-framework@0.5.3 (its Scheduler, built-in OFFERS and UPDATE
// handlers, built-in acknowledgements) against a Mesos master: it subscribes, takes an offer, launches one
// command task, follows it to TASK_FINISHED and exits. Nothing inside the package is patched or replaced;
// only listeners are attached and constructor options set.
//
// Usage: node framework.js [--master HOST:PORT] [--command CMD] [--timeout SECONDS] [--linger SECONDS]
//                          [--name NAME] [--task-type TYPE] [--log-dir DIR] [--log-level LEVEL]
//   --master   defaults to $MESOS_MASTER, then 127.0.0.1:5050 (a leading "http://" is ignored).
//   --task-type the key of the library's `tasks` map: task names are <TYPE>-1 and task ids
//              <NAME>.<TYPE>-1.<uuid>, so a non-ASCII TYPE checks that the master ASCII-escapes its JSON
//              (the library compares record lengths in UTF-16 units, not bytes).
//   --linger   after TASK_FINISHED, stay subscribed this long and require that the event stream never went
//              quiet for as long as the client's idle timeout (10 s): it proves the master's heartbeats
//              keep this client alive.
//
// Output: machine-readable lines on stdout, one per fact, each starting with a capitalised keyword:
//   EVENT SUBSCRIBED <frameworkId> <mesosStreamId>
//   EVENT HEARTBEAT
//   EVENT OFFERS <count> <agentId,...>
//   EVENT UPDATE <taskId> <state> <uuid|-> <reason|->
//   EVENT RESCIND|FAILURE|MESSAGE <json>
//   SENT <ACCEPT|DECLINE|ACKNOWLEDGE|...>
//   TASK_LAUNCHED <taskId>
//   ERROR <json>                          (anything the library reports through its 'error' event)
//   RESULT <OK|FAILED|TIMEOUT|ERRORS|QUIET> <detail>
// (The library's own winston log lines also go to stdout/stderr; they never start with these keywords.)
//
// Exit codes: 0 TASK_FINISHED, every update with a uuid acknowledged (202), no error reported, the stream
// never idle for >= the client's timeout; 1 the task ended in another terminal state; 2 bad arguments;
// 3 the library reported errors; 4 timeout; 5 the stream went quiet for too long during --linger.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");

function parseArgs(argv) {
    const options = {
        master: process.env.MESOS_MASTER || "127.0.0.1:5050",
        command: "echo compat-ok",
        timeout: 60,
        linger: 0,
        name: "compat-framework",
        taskType: "compat",
        logDir: null,
        logLevel: process.env.COMPAT_LOG_LEVEL || "debug",
    };
    for (let i = 2; i < argv.length; i++) {
        const key = argv[i];
        const value = argv[i + 1];
        if (value === undefined) {
            usage(`missing value for ${key}`);
        }
        i++;
        switch (key) {
            case "--master": options.master = value; break;
            case "--command": options.command = value; break;
            case "--timeout": options.timeout = Number(value); break;
            case "--linger": options.linger = Number(value); break;
            case "--name": options.name = value; break;
            case "--task-type": options.taskType = value; break;
            case "--log-dir": options.logDir = value; break;
            case "--log-level": options.logLevel = value; break;
            default: usage(`unknown option ${key}`);
        }
    }
    if (!(options.timeout > 0) || !(options.linger >= 0)) {
        usage("--timeout must be > 0 and --linger >= 0");
    }
    return options;
}

function usage(message) {
    process.stderr.write(`framework.js: ${message}\n`);
    process.stdout.write(`RESULT FAILED bad-arguments ${JSON.stringify(message)}\n`);
    process.exit(2);
}

const options = parseArgs(process.argv);
const hostPort = options.master.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
const separator = hostPort.lastIndexOf(":");
if (separator < 1) {
    usage(`--master must be HOST:PORT, got ${options.master}`);
}
const masterHost = hostPort.substring(0, separator);
const masterPort = Number(hostPort.substring(separator + 1));

// The library reads HOST/PORT0 (Marathon's variables) into FrameworkInfo; keep the run deterministic.
delete process.env.HOST;
delete process.env.PORT0;

// By default the library logs to ./logs/mesos-framework.log; keep its file out of the source tree.
const logDir = options.logDir || fs.mkdtempSync(path.join(os.tmpdir(), "mesos-framework-compat-"));
fs.mkdirSync(logDir, { recursive: true });

const { Scheduler, Mesos } = require("mesos-framework");
const mesos = Mesos.getMesos();

// Same idle timeout as the library's default, stated so that --linger can check against it.
const CLIENT_IDLE_TIMEOUT_MS = 10000;

const scheduler = new Scheduler({
    masterUrl: masterHost,
    port: masterPort,
    frameworkName: options.name,
    user: "root",
    masterConnectionTimeout: CLIENT_IDLE_TIMEOUT_MS / 1000,
    // Fail fast instead of relaunching: a failed task is a finding, not something to retry.
    restartStates: [],
    logging: { path: logDir, fileName: "mesos-framework.log", level: options.logLevel },
    tasks: {
        [options.taskType]: {
            instances: 1,
            priority: 1,
            // 0.28 CommandInfo, positional: uris, environment, shell, value, arguments, user.
            commandInfo: new mesos.CommandInfo(null, null, true, options.command, null, null),
            // One dynamic port makes the library read the offer's RANGES and send a ports resource.
            resources: { cpus: 0.1, mem: 32, disk: 0, ports: 1 },
        },
    },
});

function line(text) {
    process.stdout.write(text + "\n");
}

const started = Date.now();
let lastStreamActivity = null;
let longestQuietMs = 0;
let subscribedAt = null;
let heartbeats = 0;
let updatesWithUuid = 0;
let acknowledgementsSent = 0;
let errors = 0;
let finishedAt = null;
let terminal = null;
let done = false;

function streamActivity() {
    const now = Date.now();
    if (lastStreamActivity !== null) {
        longestQuietMs = Math.max(longestQuietMs, now - lastStreamActivity);
    }
    lastStreamActivity = now;
}

function finish(code, result) {
    if (done) {
        return;
    }
    done = true;
    line(`RESULT ${result}`);
    line(`STATS heartbeats=${heartbeats} updates_with_uuid=${updatesWithUuid} acknowledged=${acknowledgementsSent} errors=${errors} longest_quiet_ms=${longestQuietMs} elapsed_ms=${Date.now() - started}`);
    // The subscription stays open (the library never closes it on its own): leave at once.
    process.stdout.write("", () => process.exit(code));
}

function check() {
    if (done || terminal === null) {
        return;
    }
    if (terminal !== "TASK_FINISHED") {
        finish(1, `FAILED task ended ${terminal}`);
        return;
    }
    // The library acknowledges inside its UPDATE handler; wait for every ACKNOWLEDGE to get its 202.
    if (acknowledgementsSent < updatesWithUuid) {
        return;
    }
    if (finishedAt === null) {
        finishedAt = Date.now();
    }
    if (Date.now() - finishedAt < options.linger * 1000) {
        return;
    }
    if (errors > 0) {
        finish(3, `ERRORS ${errors} error(s) reported by the library`);
    } else if (options.linger > 0 && (longestQuietMs >= CLIENT_IDLE_TIMEOUT_MS || heartbeats < 2)) {
        finish(5, `QUIET longest_quiet_ms=${longestQuietMs} heartbeats=${heartbeats}`);
    } else {
        finish(0, "OK TASK_FINISHED");
    }
}

scheduler.on("ready", () => {
    line(`READY ${masterHost}:${masterPort}`);
    scheduler.subscribe();
});

scheduler.on("sent_subscribe", (info) => line(`SENT SUBSCRIBE ${info.mesosStreamId}`));

scheduler.on("subscribed", (info) => {
    streamActivity();
    subscribedAt = Date.now();
    line(`EVENT SUBSCRIBED ${info.frameworkId} ${info.mesosStreamId}`);
});

scheduler.on("heartbeat", () => {
    streamActivity();
    heartbeats++;
    line("EVENT HEARTBEAT");
});

scheduler.on("offers", (offers) => {
    streamActivity();
    const list = (offers && offers.offers) || [];
    line(`EVENT OFFERS ${list.length} ${list.map((o) => o.agent_id && o.agent_id.value).join(",")}`);
});

scheduler.on("update", (update) => {
    streamActivity();
    const status = update.status;
    if (status.uuid) {
        updatesWithUuid++;
    }
    line(`EVENT UPDATE ${status.task_id.value} ${status.state} ${status.uuid || "-"} ${status.reason || "-"}`);
    if (["TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE"].includes(status.state)
        && status.reason !== "REASON_RECONCILIATION") {
        terminal = status.state;
    }
    check();
});

for (const name of ["rescind", "failure", "message"]) {
    scheduler.on(name, (body) => {
        streamActivity();
        line(`EVENT ${name.toUpperCase()} ${JSON.stringify(body)}`);
    });
}

for (const name of ["accept", "decline", "teardown", "revive", "kill", "shutdown", "reconcile", "message", "request"]) {
    scheduler.on(`sent_${name}`, () => line(`SENT ${name.toUpperCase()}`));
}

scheduler.on("sent_acknowledge", () => {
    acknowledgementsSent++;
    line("SENT ACKNOWLEDGE");
    check();
});

scheduler.on("task_launched", (task) => line(`TASK_LAUNCHED ${task.taskId}`));

// Mandatory: an EventEmitter 'error' without a listener throws. The library emits strings (failed calls),
// Error objects (ERROR events from the master) and plain objects (its own parse/stream errors).
scheduler.on("error", (error) => {
    errors++;
    const text = typeof error === "string" ? error : (error && error.message) || String(error);
    line(`ERROR ${JSON.stringify(text)}`);
    // A closed subscription or an ERROR event means the library will re-subscribe in a loop: stop here.
    if (/Long-running connection was closed|Error received from Mesos master|Error registering/.test(text)) {
        finish(3, `ERRORS ${JSON.stringify(text)}`);
    }
});

setInterval(check, 100).unref();

setTimeout(() => {
    finish(4, `TIMEOUT after ${options.timeout}s (subscribed=${subscribedAt !== null} terminal=${terminal} acknowledged=${acknowledgementsSent}/${updatesWithUuid})`);
}, options.timeout * 1000);
