// export-chromium.js -- drive headless Chromium through a page that
// `export FILE.html` wrote, over the DevTools protocol on a pipe
// (--remote-debugging-pipe: no WebSocket, no npm package), and print TAP.
//
//   node export-chromium.js step PAGE EXPECTED_DIR SCREENSHOT N...
//       load PAGE, press the right arrow key from step 0 to the last N,
//       and at each N compare the panes' text with EXPECTED_DIR/N.json
//       (`state --json` at step N); then open PAGE#step=N afresh, press
//       End and Home, and take a screenshot.
//   node export-chromium.js page PAGE STEP TEXT [LINE]
//       load PAGE#step=STEP: no injected script ran, no dialog opened,
//       the page holds only its two script elements, and TEXT is on the
//       page as text (and LINE is the lesson line marked as this step's).
//
// In both, no request may leave the page: every request the page makes
// is recorded, and any but the page itself is a failure.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

let n = 0, failed = 0;
function ok(cond, desc, detail) {
	n++;
	if (cond)
		console.log(`ok ${n} - ${desc}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${desc}`);
		if (detail !== undefined)
			console.log("# " + String(detail).split("\n").join("\n# "));
	}
}

const chrome = process.env.CHROMIUM || "chromium";
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "hv-chromium-"));
const proc = spawn(chrome, [
	"--headless", "--no-sandbox", "--disable-gpu",
	"--disable-background-networking", "--disable-component-update",
	"--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
	"--remote-debugging-pipe", "--window-size=1400,1000", "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let stderr = "";
proc.stderr.on("data", (d) => { stderr += d; });

// The protocol: JSON messages ended by NUL, ours on fd 3, its on fd 4.
const toChrome = proc.stdio[3], fromChrome = proc.stdio[4];
let nextId = 1, pending = new Map(), listeners = [], input = "";
fromChrome.on("data", (d) => {
	input += d.toString("utf8");
	let i;
	while ((i = input.indexOf("\0")) >= 0) {
		const msg = JSON.parse(input.slice(0, i));
		input = input.slice(i + 1);
		if (msg.id !== undefined && pending.has(msg.id)) {
			const p = pending.get(msg.id);
			pending.delete(msg.id);
			if (msg.error)
				p.reject(new Error(JSON.stringify(msg.error)));
			else
				p.resolve(msg.result);
		} else if (msg.method)
			listeners.forEach((l) => l(msg));
	}
});

let session;
function send(method, params, sid) {
	const id = nextId++;
	const msg = { id, method, params: params || {} };
	if (sid !== null)
		msg.sessionId = sid === undefined ? session : sid;
	toChrome.write(JSON.stringify(msg) + "\0");
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject });
	});
}

function waitFor(method, timeout) {
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error("timeout: " + method)),
		    timeout || 20000);
		const l = (msg) => {
			if (msg.method === method) {
				clearTimeout(t);
				listeners = listeners.filter((x) => x !== l);
				resolve(msg.params);
			}
		};
		listeners.push(l);
	});
}

async function evaluate(expr) {
	const r = await send("Runtime.evaluate", { expression: expr,
	    returnByValue: true, awaitPromise: true });
	if (r.exceptionDetails)
		throw new Error("evaluate: " + JSON.stringify(r.exceptionDetails));
	return r.result.value;
}

// A real key press, through the browser's input pipeline.
const KEYS = { ArrowRight: 39, ArrowLeft: 37, Home: 36, End: 35 };
async function press(key) {
	const code = KEYS[key];
	await send("Input.dispatchKeyEvent", { type: "rawKeyDown", key,
	    code: key, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code });
	await send("Input.dispatchKeyEvent", { type: "keyUp", key, code: key,
	    windowsVirtualKeyCode: code, nativeVirtualKeyCode: code });
}

let requests = [], dialogs = [], exceptions = [], pageUrl = "";
async function open(url) {
	// A new document each time: from about:blank, so that opening the
	// page again with another #step=N is a load, not a jump in place.
	let loaded = waitFor("Page.loadEventFired");
	await send("Page.navigate", { url: "about:blank" });
	await loaded;
	loaded = waitFor("Page.loadEventFired");
	await send("Page.navigate", { url });
	await loaded;
	await evaluate("new Promise(r => requestAnimationFrame(() => r(1)))");
}

function hex(v) {
	return "0x" + v.toString(16);
}

// The panes' text at a step against `state --json` there.
async function compare(step, want) {
	const got = await evaluate(`({
		step: document.body.dataset.step,
		where: document.getElementById("hv-where").textContent,
		rows: [...document.querySelectorAll("#hv-heap tbody tr")]
		    .filter(tr => !tr.classList.contains("hv-violation"))
		    .map(tr => [...tr.cells].map(td => td.textContent)),
		summary: document.getElementById("hv-heap-summary").textContent,
		bins: document.getElementById("hv-bins").textContent,
		nodes: document.querySelectorAll("#hv-bins .hv-node").length,
		map: [...document.querySelectorAll("#hv-map tbody tr")]
		    .map(tr => tr.cells[0].textContent + "-" + tr.cells[1].textContent),
		logText: document.getElementById("hv-log").textContent,
	})`);
	ok(got.step === String(step), `the keys reached step ${step}`,
	    `page at ${got.step} (${got.where})`);
	const rows = want.chunks.filter(c => true).map((c) => [
		hex(c.addr), String(c.size), c.state,
		c.name === undefined ? "" : c.name + (c.dangling ? "~" : ""),
		c.bin === undefined ? "" : c.bin,
	]);
	const gotRows = want.chunks.length === 0 ? [] :
	    got.rows.map((r) => r.slice(1));
	ok(JSON.stringify(gotRows) === JSON.stringify(rows),
	    `step ${step}: the heap pane's ${rows.length} chunks are state --json's`,
	    `page:  ${JSON.stringify(gotRows)}\nstate: ${JSON.stringify(rows)}`);
	ok(got.summary.includes("break " + hex(want.break)),
	    `step ${step}: the break is state --json's (${hex(want.break)})`,
	    got.summary);
	const binAddrs = [];
	for (const k of ["small", "tree"])
		for (const b of Object.values(want.bins[k] || {}))
			b.forEach((a) => binAddrs.push(hex(a)));
	ok(binAddrs.every((a) => got.bins.includes(a)) &&
	    got.nodes === binAddrs.length,
	    `step ${step}: the bins pane lists the ${binAddrs.length} binned chunks`,
	    got.bins);
	if (want.bins.top)
		ok(got.bins.includes("top: " + hex(want.bins.top.addr) + ", " +
		    want.bins.top.size + " bytes"), `step ${step}: top is shown`,
		    got.bins);
	const maps = want.mappings.map((m) => hex(m.start) + "-" + hex(m.end));
	ok(maps.every((m) => got.map.includes(m)),
	    `step ${step}: the memory map has state --json's ${maps.length} mappings`,
	    JSON.stringify(got.map));
	const calls = want.log.length;
	ok(calls === 0 ? got.logText.includes("no system calls yet") :
	    [...got.logText.matchAll(/\u2190/g)].length === calls,
	    `step ${step}: the log has state --json's ${calls} system calls`,
	    got.logText);
}

async function main() {
	const mode = process.argv[2];
	const page = path.resolve(process.argv[3]);
	pageUrl = "file://" + page;

	let target;
	for (let tries = 0; tries < 100 && !target; tries++) {
		const { targetInfos } = await send("Target.getTargets", {},
		    null);
		target = targetInfos.find((t) => t.type === "page");
		if (!target)
			await new Promise((r) => setTimeout(r, 100));
	}
	({ sessionId: session } = await send("Target.attachToTarget",
	    { targetId: target.targetId, flatten: true }, null));
	listeners.push((msg) => {
		if (msg.method === "Network.requestWillBeSent")
			requests.push(msg.params.request.url);
		else if (msg.method === "Page.javascriptDialogOpening") {
			dialogs.push(msg.params.message);
			send("Page.handleJavaScriptDialog", { accept: true });
		} else if (msg.method === "Runtime.exceptionThrown")
			exceptions.push(JSON.stringify(msg.params.exceptionDetails));
	});
	await send("Page.enable");
	await send("Runtime.enable");
	await send("Network.enable");

	if (mode === "step") {
		const dir = process.argv[4], shot = process.argv[5];
		const steps = process.argv.slice(6).map(Number);
		const last = Math.max(...steps);
		await open(pageUrl);
		ok(exceptions.length === 0, "the viewer runs without an error",
		    exceptions.join("\n"));
		let at = Number(await evaluate("document.body.dataset.step"));
		// Home first: a page opens at the step the session was at.
		await press("Home");
		at = Number(await evaluate("document.body.dataset.step"));
		ok(at === 0, "Home goes to step 0", at);
		for (let s = 0; s <= last; s++) {
			if (s > 0)
				await press("ArrowRight");
			if (steps.includes(s))
				await compare(s, JSON.parse(fs.readFileSync(
				    path.join(dir, s + ".json"), "utf8")));
		}
		await press("ArrowLeft");
		ok(await evaluate("document.body.dataset.step") === String(last - 1),
		    "the left arrow goes back a step");
		ok((await evaluate("location.hash")) === "#step=" + (last - 1),
		    "and the address follows: #step=" + (last - 1));
		const mid = steps[Math.floor(steps.length / 2)];
		await open(pageUrl + "#step=" + mid);
		ok(await evaluate("document.body.dataset.step") === String(mid),
		    `a link to #step=${mid} opens at that step`);
		await compare(mid, JSON.parse(fs.readFileSync(
		    path.join(dir, mid + ".json"), "utf8")));
		await press("End");
		const end = await evaluate("document.getElementById('hv-slider').max");
		ok(await evaluate("document.body.dataset.step") === end,
		    "End goes to the last step, " + end);
		await open(pageUrl + "#step=" + mid);
		const png = await send("Page.captureScreenshot", { format: "png" });
		fs.writeFileSync(shot, Buffer.from(png.data, "base64"));
		ok(fs.statSync(shot).size > 10000, "a screenshot is taken: " + shot);
	} else if (mode === "page") {
		const step = process.argv[4], text = process.argv[5];
		await open(pageUrl + "#step=" + step);
		ok(await evaluate("document.body.dataset.step") === step,
		    "the page opens at step " + step);
		ok(await evaluate("typeof window.pwned") === "undefined",
		    "no script from the session ran");
		ok(dialogs.length === 0, "no dialog opened", dialogs.join("\n"));
		ok(await evaluate("document.scripts.length") === 2,
		    "the page holds only its own two scripts");
		ok(await evaluate("document.querySelectorAll('img, svg, iframe, " +
		    "object, embed, [onerror], [onload]').length") === 0,
		    "and no element from the session");
		const body = await evaluate("document.body.innerText");
		ok(body.includes(text), "the session's text is shown as text",
		    body.slice(0, 2000));
		if (process.argv[6] !== undefined) {
			const here = await evaluate("(document.querySelector(" +
			    "'#hv-script .hv-here') || {}).textContent");
			ok(here === process.argv[6], "the lesson line of step " +
			    step + " is marked", here);
		}
		for (let s = 0; s < 6; s++)
			await press("ArrowRight");
		ok(await evaluate("typeof window.pwned") === "undefined",
		    "nor at any other step");
		ok(exceptions.length === 0, "the viewer runs without an error",
		    exceptions.join("\n"));
	}
	const out = requests.filter((u) => u.split("#")[0] !== pageUrl &&
	    u !== "about:blank");
	ok(out.length === 0, "no request leaves the page (" + requests.length +
	    " made, all the page itself)", out.join("\n"));
}

main().catch((e) => {
	ok(false, "the browser was driven to the end", e.stack + "\n" + stderr.slice(-1500));
}).finally(() => {
	console.log(`1..${n}`);
	try {
		send("Browser.close", {}, null).catch(() => {});
	} catch (e) { /* gone already */ }
	setTimeout(() => {
		proc.kill("SIGKILL");
		fs.rmSync(profile, { recursive: true, force: true });
		process.exit(failed === 0 ? 0 : 1);
	}, 500);
});
