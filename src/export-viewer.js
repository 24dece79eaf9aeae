/*
 * export-viewer.js -- the viewer of a page `export FILE.html` wrote.
 *
 * It reads the steps from the JSON in #hv-data (export-html.c describes
 * the form), rebuilds each step's chunks from the step before, and draws
 * one step at a time into the panes.  Everything from the session goes in
 * as text (textContent, createTextNode), never as markup.  Keys: the
 * arrows, Home, End, Page Up and Page Down; #step=N in the address.
 */
(function () {
	"use strict";

	/* Letters for the states heapviz knows; another's is its initial. */
	var LETTERS = { inuse: "U", free: "F", top: "T", mmapped: "M",
	    fence: "S", damaged: "!" };
	var data = JSON.parse(document.getElementById("hv-data").textContent);
	var strs = data.strs;
	var steps = [];
	var at = -1;

	function str(i) {
		return i >= 0 ? strs[i] : null;
	}

	function letter(st) {
		return LETTERS[st] || st.charAt(0).toUpperCase();
	}

	function hex(n) {
		return "0x" + n.toString(16);
	}

	/* Rebuild every step's chunks, bins, map and foreign memory. */
	(function decode() {
		var prev = [], bins = {}, order = {}, norder = 0;
		var kept = { b: 0, hs: 0, ib: 0, mp: [], fo: [], dv: 0, tp: 0,
		    st: [0, 0, 0] };
		data.steps.forEach(function (s) {
			var c = s.c, p = c[0], q = c[1], cur = prev.slice(0, p);
			var end = p > 0 ? cur[p - 1].a + cur[p - 1].s : 0;
			var i, ch = {}, list = [];
			for (i = 2; i < c.length; i += 5) {
				var a = (cur.length === 0 ? 0 : end) + c[i];
				cur.push({ a: a, s: c[i + 1], st: str(c[i + 2] >> 1),
				    dangling: (c[i + 2] & 1) !== 0,
				    name: str(c[i + 3]), bin: str(c[i + 4]) });
				end = a + c[i + 1];
			}
			if (q > 0)
				cur = cur.concat(prev.slice(prev.length - q));
			s.ch.forEach(function (k) { ch[k] = true; });
			/* Fields left out are the step before's. */
			Object.keys(kept).forEach(function (k) {
				if (s[k] === undefined)
					s[k] = kept[k];
				else
					kept[k] = s[k];
			});
			/* Bins: the changed ones replace, [label] empties. */
			bins = Object.assign({}, bins);
			s.bn.forEach(function (b) {
				if (b.length === 1)
					delete bins[b[0]];
				else {
					bins[b[0]] = b;
					if (order[b[0]] === undefined)
						order[b[0]] = norder++;
				}
			});
			Object.keys(bins).forEach(function (k) {
				list.push(bins[k]);
			});
			list.sort(function (x, y) {
				return x[1] - y[1] || order[x[0]] - order[y[0]];
			});
			steps.push({ raw: s, chunks: cur, changed: ch,
			    bins: list, maps: s.mp, fo: s.fo });
			prev = cur;
		});
	})();

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	function clear(e) {
		while (e.firstChild)
			e.removeChild(e.firstChild);
	}

	function $(id) {
		return document.getElementById(id);
	}

	function drawHeap(st) {
		var tb = $("hv-heap").tBodies[0], strip = $("hv-strip");
		var raw = st.raw, inuse = 0, free = 0;
		clear(tb);
		clear(strip);
		st.chunks.forEach(function (c, i) {
			var tr = el("tr", "hv-" + c.st);
			var changed = st.changed[i] === true;
			if (changed)
				tr.classList.add("hv-changed");
			var mark = el("td", "hv-mark");
			mark.appendChild(el("span", "hv-letter", letter(c.st)));
			if (changed)
				mark.appendChild(el("span", "hv-new-mark",
				    "\u25c0"));
			tr.appendChild(mark);
			tr.appendChild(el("td", "hv-addr", hex(c.a)));
			tr.appendChild(el("td", "hv-size", c.s));
			tr.appendChild(el("td", "hv-state", c.st));
			tr.appendChild(el("td", "hv-name", c.name === null ? "" :
			    c.name + (c.dangling ? "~" : "")));
			tr.appendChild(el("td", "hv-bin", c.bin === null ? "" :
			    c.bin));
			tb.appendChild(tr);
			if (c.st === "inuse")
				inuse++;
			if (c.st === "free")
				free++;
			/* The strip: widths that grow with the size's log. */
			var box = el("div", "hv-box hv-" + c.st +
			    (changed ? " hv-changed" : ""));
			box.appendChild(el("span", "hv-letter", letter(c.st)));
			box.style.flexGrow = String(Math.max(1,
			    Math.log2(c.s) - 3));
			box.title = hex(c.a) + ", " + c.s + " bytes, " +
			    c.st + (c.name !== null ? ", " + c.name : "");
			strip.appendChild(box);
		});
		if (st.chunks.length === 0) {
			var tr = el("tr");
			var td = el("td", "hv-empty",
			    "empty: nothing allocated yet");
			td.colSpan = 6;
			tr.appendChild(td);
			tb.appendChild(tr);
		}
		$("hv-heap-summary").textContent = "heap " + hex(raw.hs) +
		    ", break " + hex(raw.b) + " (+" + hex(raw.b - raw.ib) +
		    " since the start); " + st.chunks.length + " chunks, " +
		    inuse + " in use, " + free + " free; " + raw.st[0] +
		    " bytes in use, " + raw.st[1] + " free, footprint " +
		    raw.st[2];
		if (raw.vi) {
			raw.vi.forEach(function (v) {
				var tr = el("tr", "hv-violation");
				var td = el("td", null, "check: " + str(v));
				td.colSpan = 6;
				tr.appendChild(td);
				tb.appendChild(tr);
			});
		}
	}

	function drawBins(st) {
		var box = $("hv-bins"), raw = st.raw, changedAt = {};
		clear(box);
		st.chunks.forEach(function (c, i) {
			if (st.changed[i])
				changedAt[c.a] = true;
		});
		st.bins.forEach(function (b) {
			var row = el("div", "hv-bin-row");
			var lo = b[1], hi = b[2];
			row.appendChild(el("span", "hv-bin-label", str(b[0])));
			row.appendChild(el("span", "hv-bin-sizes",
			    lo === hi ? lo + " B" : lo + "\u2013" + hi + " B"));
			for (var j = 3; j < b.length; j++) {
				row.appendChild(el("span", "hv-arrow", "\u2192"));
				row.appendChild(el("span", "hv-node" +
				    (changedAt[b[j]] ? " hv-changed" : ""),
				    hex(b[j])));
			}
			box.appendChild(row);
		});
		if (st.bins.length === 0)
			box.appendChild(el("p", "hv-dim",
			    "no free chunk in any bin"));
		if (raw.dv)
			box.appendChild(el("p", "hv-dv", "dv (designated " +
			    "victim): " + hex(raw.dv[0]) + ", " + raw.dv[1] +
			    " bytes"));
		if (raw.tp)
			box.appendChild(el("p", "hv-top", "top: " +
			    hex(raw.tp[0]) + ", " + raw.tp[1] + " bytes"));
	}

	function drawMap(st) {
		var tb = $("hv-map").tBodies[0], rows = [];
		clear(tb);
		st.maps.forEach(function (m) {
			rows.push({ a: m[0], e: m[1], what: str(m[2]) +
			    (m[3] >= 0 ? " " + str(m[3]) : ""), cls: "" });
		});
		st.fo.forEach(function (f) {
			rows.push({ a: f[0], e: f[1], what: "in the heap: " +
			    str(f[2]), cls: "hv-foreign" });
		});
		rows.sort(function (x, y) { return y.a - x.a; });
		rows.forEach(function (r) {
			var tr = el("tr", r.cls);
			tr.appendChild(el("td", "hv-addr", hex(r.a)));
			tr.appendChild(el("td", "hv-addr", hex(r.e)));
			tr.appendChild(el("td", "hv-size", r.e - r.a));
			tr.appendChild(el("td", null, r.what));
			tb.appendChild(tr);
		});
	}

	function drawLog(st) {
		var ol = $("hv-log"), lg = st.raw.lg, last = null, i;
		clear(ol);
		for (i = 0; i < lg[1]; i++) {
			var e = data.log[lg[0] + i];
			var li = el("li", i >= lg[2] ? "hv-new" : "");
			li.appendChild(el("span", "hv-call", str(e[0])));
			li.appendChild(el("span", "hv-cause", "\u2190 " +
			    str(e[1])));
			if (e[3] & 1)
				li.classList.add("hv-foreign");
			ol.appendChild(li);
			last = li;
		}
		if (lg[1] === 0)
			ol.appendChild(el("li", "hv-dim", "no system calls yet"));
		if (last !== null && lg[2] < lg[1])
			ol.scrollTop = ol.scrollHeight;
	}

	function show(n, fromHash) {
		n = Math.max(0, Math.min(steps.length - 1, n | 0));
		if (n === at)
			return;
		at = n;
		var st = steps[n], raw = st.raw, len = steps.length - 1;
		$("hv-slider").value = String(n);
		$("hv-where").textContent = "step " + n + " of " + len;
		$("hv-command").textContent = n === 0 ? "the fresh heap" :
		    str(raw.l);
		drawHeap(st);
		drawBins(st);
		drawMap(st);
		drawLog(st);
		$("hv-explain").textContent = raw.x >= 0 ? str(raw.x) :
		    "nothing to explain: no step yet";
		/* The narration of this step, or the last one before it. */
		var nar = $("hv-narration"), from = n;
		clear(nar);
		while (from > 0 && steps[from].raw.r < 0)
			from--;
		if (steps[from].raw.r >= 0) {
			if (from !== n)
				nar.appendChild(el("p", "hv-dim",
				    "(said at step " + from + ")"));
			str(steps[from].raw.r).split("\n").forEach(function (l) {
				if (l !== "")
					nar.appendChild(el("p", from === n ?
					    null : "hv-dim", l));
			});
		} else
			nar.appendChild(el("p", "hv-dim", data.lesson === null ?
			    "(no lesson: a session of its own)" :
			    "(no narration yet)"));
		drawScript(n);
		$("hv-prev").disabled = n === 0;
		$("hv-next").disabled = n === len;
		document.body.setAttribute("data-step", String(n));
		if (!fromHash) {
			try {
				history.replaceState(null, "", "#step=" + n);
			} catch (e) {
				/* A page opened from a file may refuse it. */
			}
		}
	}

	/* The lesson's script, the line that made the step marked, the
	 * lines run before it dimmed. */
	function drawScript(n) {
		var ol = $("hv-script"), here = -1, k, mark = null;
		if (data.script === null)
			return;
		for (k = n; k > 0 && here < 0; k--)
			if (steps[k].raw.ln !== undefined)
				here = steps[k].raw.ln;
		if (ol.childNodes.length === 0)
			data.script.forEach(function (line) {
				var li = el("li", /^\s*#/.test(line) ?
				    "hv-comment" : "", line);
				ol.appendChild(li);
			});
		for (k = 0; k < ol.childNodes.length; k++) {
			var li = ol.childNodes[k];
			li.classList.toggle("hv-here", k === here);
			li.classList.toggle("hv-past", k < here);
			if (k === here)
				mark = li;
		}
		if (mark !== null)
			ol.scrollTop = Math.max(0, mark.offsetTop - ol.offsetTop -
			    ol.clientHeight / 2);
		else
			ol.scrollTop = 0;
	}

	function fromHash() {
		var m = /^#step=(\d+)$/.exec(location.hash);
		return m ? parseInt(m[1], 10) : null;
	}

	function key(ev) {
		var d = null;
		if (ev.altKey || ev.ctrlKey || ev.metaKey)
			return;
		switch (ev.key) {
		case "ArrowRight": case "ArrowDown": d = at + 1; break;
		case "ArrowLeft": case "ArrowUp": d = at - 1; break;
		case "PageDown": d = at + 10; break;
		case "PageUp": d = at - 10; break;
		case "Home": d = 0; break;
		case "End": d = steps.length - 1; break;
		default: return;
		}
		ev.preventDefault();
		show(d, false);
	}

	document.title = data.title;
	$("hv-title").textContent = data.title + " (" + data.mode + " mode)";
	$("hv-slider").max = String(steps.length - 1);
	$("hv-slider").addEventListener("input", function () {
		show(parseInt(this.value, 10), false);
	});
	$("hv-prev").addEventListener("click", function () {
		show(at - 1, false);
	});
	$("hv-next").addEventListener("click", function () {
		show(at + 1, false);
	});
	document.addEventListener("keydown", key);
	window.addEventListener("hashchange", function () {
		var h = fromHash();
		if (h !== null)
			show(h, true);
	});
	var h = fromHash();
	show(h !== null ? h : data.at, h !== null);
})();
