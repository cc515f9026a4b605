#!/usr/bin/env node
// Reads a Mesos RecordIO event stream the way @dcos/mesos-client@1.0.0 does: it POSTs a JSON body with
// `Content-Type: application/json`, `Accept: application/json` and the cache-busting `?_ts=<epoch-ms>` query,
// treats the response as growing text, and feeds it to @dcos/recordio's read() exactly like mesos-client's
// readRecordioRecords (keep the unparsed rest, append what arrived since the last progress event, read again).
// Each record is then JSON.parse'd, as mesos-client's callers do.
//
// Usage: node operator-stream.js [--url URL] [--body JSON] [--count N] [--timeout SECONDS] [--no-cache-bust]
//   --url      defaults to $MESOS_MASTER + "/api/v1" (the master's operator API), e.g. http://127.0.0.1:5050/api/v1.
//              For the scheduler stream use .../api/v1/scheduler with a SUBSCRIBE body carrying framework_info.
//   --body     defaults to {"type":"SUBSCRIBE"} (the operator API's subscription).
//   --count    how many records to read before exiting (default 2: SUBSCRIBED and the first HEARTBEAT).
//
// Output lines on stdout:
//   STATUS <code> <content-type> <mesos-stream-id|->
//   EVENT <type> [+<ms since the response started>] [heartbeat_interval_seconds=<s>]
//   RESULT <OK|FAILED|TIMEOUT|ENDED> <detail>
// Exit codes: 0 after --count records; 1 HTTP error or a record that is not JSON/has no type; 2 bad arguments;
// 3 the stream ended before --count records; 4 timeout.
"use strict";

const http = require("http");
const { read } = require("@dcos/recordio");

function usage(message) {
    process.stderr.write(`operator-stream.js: ${message}\n`);
    process.stdout.write(`RESULT FAILED bad-arguments ${JSON.stringify(message)}\n`);
    process.exit(2);
}

const options = {
    url: (process.env.MESOS_MASTER ? process.env.MESOS_MASTER.replace(/\/+$/, "") : "http://127.0.0.1:5050") + "/api/v1",
    body: '{"type":"SUBSCRIBE"}',
    count: 2,
    timeout: 30,
    cacheBust: true,
};
for (let i = 2; i < process.argv.length; i++) {
    const key = process.argv[i];
    if (key === "--no-cache-bust") {
        options.cacheBust = false;
        continue;
    }
    const value = process.argv[++i];
    if (value === undefined) {
        usage(`missing value for ${key}`);
    }
    switch (key) {
        case "--url": options.url = value; break;
        case "--body": options.body = value; break;
        case "--count": options.count = Number(value); break;
        case "--timeout": options.timeout = Number(value); break;
        default: usage(`unknown option ${key}`);
    }
}
if (!(options.count > 0) || !(options.timeout > 0)) {
    usage("--count and --timeout must be > 0");
}
if (!/^https?:\/\//.test(options.url)) {
    options.url = "http://" + options.url;
}
try {
    JSON.parse(options.body);
} catch (e) {
    usage(`--body is not JSON: ${e.message}`);
}

const url = new URL(options.url);
if (options.cacheBust) {
    url.searchParams.set("_ts", String(Date.now()));
}

function line(text) {
    process.stdout.write(text + "\n");
}

let done = false;
function finish(code, result) {
    if (done) {
        return;
    }
    done = true;
    line(`RESULT ${result}`);
    process.stdout.write("", () => process.exit(code));
}

const started = Date.now();
let received = 0;
// mesos-client's state between progress events: the unparsed rest of the text.
let buffer = "";

const request = http.request(url, {
    method: "POST",
    headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Content-Length": Buffer.byteLength(options.body),
    },
}, (response) => {
    const streamId = response.headers["mesos-stream-id"] || "-";
    line(`STATUS ${response.statusCode} ${response.headers["content-type"] || "-"} ${streamId}`);
    response.setEncoding("utf8");
    if (response.statusCode !== 200) {
        let text = "";
        response.on("data", (chunk) => { text += chunk; });
        response.on("end", () => finish(1, `FAILED status ${response.statusCode} ${JSON.stringify(text)}`));
        return;
    }
    const responseStarted = Date.now();
    response.on("data", (chunk) => {
        if (done) {
            return;
        }
        const [records, rest] = read(buffer + chunk);
        buffer = rest;
        for (const record of records) {
            let event;
            try {
                event = JSON.parse(record);
            } catch (e) {
                finish(1, `FAILED record is not JSON (${e.message}): ${JSON.stringify(record.substring(0, 300))}`);
                return;
            }
            if (!event || typeof event.type !== "string") {
                finish(1, `FAILED record has no type: ${JSON.stringify(record.substring(0, 300))}`);
                return;
            }
            received++;
            let extra = "";
            const body = event[event.type.toLowerCase()];
            if (event.type === "SUBSCRIBED" && body && body.heartbeat_interval_seconds !== undefined) {
                extra = ` heartbeat_interval_seconds=${body.heartbeat_interval_seconds}`;
            }
            line(`EVENT ${event.type} +${Date.now() - responseStarted}${extra}`);
            if (received >= options.count) {
                finish(0, `OK ${received} records`);
                return;
            }
        }
    });
    response.on("end", () => finish(3, `ENDED after ${received} records; unparsed rest ${JSON.stringify(buffer.substring(0, 300))}`));
});

request.on("error", (e) => finish(1, `FAILED request error ${e.message}`));
request.end(options.body);

setTimeout(() => {
    finish(4, `TIMEOUT after ${options.timeout}s with ${received}/${options.count} records (elapsed ${Date.now() - started} ms); unparsed rest ${JSON.stringify(buffer.substring(0, 300))}`);
}, options.timeout * 1000);
