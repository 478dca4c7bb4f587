/* The graph page's script: the network, hover cards, detail panel, search, filters and focus view.
 * Text from the documents reaches the DOM only through textContent and is never parsed as HTML:
 * a unit whose name holds markup is shown as those characters. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var CARD_TASKS = 3; // tasks listed on a hover card; the panel lists all of them
  var ROLE_ORDER = ["lead", "support", "involves"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function placeNames(ids) {
    return ids.map(function (p) { return data.places[p] || p; }).join("、");
  }

  function sourceLine(docId) {
    var doc = data.docs[docId] || {};
    var parts = [doc.title ? "《" + doc.title + "》" : doc.file || docId];
    if (doc.issued) parts.push(doc.issued);
    if (doc.title && doc.file) parts.push(doc.file);
    return "—— " + parts.join("，");
  }

  function quoteBlock(parent, task) {
    if (task.quote) parent.appendChild(el("div", "kg-quote", task.quote));
    if (task.doc) parent.appendChild(el("div", "kg-source", sourceLine(task.doc)));
  }

  function unitLinks(task, role, full) {
    var dd = el("dd");
    task.units.filter(function (u) { return u[1] === role; }).forEach(function (u, k) {
      if (k) dd.appendChild(document.createTextNode("、"));
      if (full && u[2] >= 0) {
        var link = el("a", null, u[0]);
        link.href = "#";
        link.addEventListener("click", function (event) { event.preventDefault(); select(u[2]); });
        dd.appendChild(link);
      } else {
        dd.appendChild(document.createTextNode(u[0]));
      }
    });
    return dd;
  }

  /* A node's card: name, type, jurisdiction, names, tasks and source sentences. */
  function card(id, full) {
    var n = data.nodes[id];
    var box = el("div", "kg-card");
    if (!n) return box;
    box.appendChild(el("h3", null, n.name));
    var dl = el("dl");
    function row(key, value) {
      if (!value || (typeof value === "string" && !value.length)) return;
      dl.appendChild(el("dt", null, key));
      dl.appendChild(typeof value === "string" ? el("dd", null, value) : value);
    }
    row("类型", n.kind);
    row("辖区", placeNames(n.jur));
    row("别名", n.alt.join("、"));
    if (n.type === "task") {
      var task = data.tasks[n.iri] || { units: [] };
      ROLE_ORDER.forEach(function (role) {
        if (task.units.some(function (u) { return u[1] === role; })) row(data.roles[role], unitLinks(task, role, full));
      });
      box.appendChild(dl);
      box.appendChild(el("div", "kg-heading", "原文"));
      quoteBlock(box, task);
    } else {
      // n.counts: the unit has more tasks than the page holds (a large graph); they count them all
      var perRole = ROLE_ORDER.map(function (role) {
        return n.counts ? n.counts[role] || 0 : n.links.filter(function (l) { return l[1] === role; }).length;
      });
      var total = perRole.reduce(function (a, b) { return a + b; }, 0);
      var counts = ROLE_ORDER.map(function (role, k) {
        return perRole[k] ? data.roles[role] + " " + perRole[k] + " 项" : "";
      }).filter(Boolean);
      row("任务", counts.join(" · "));
      box.appendChild(dl);
      var limit = full ? n.links.length : Math.min(CARD_TASKS, n.links.length);
      var list = el("ul");
      n.links.slice(0, limit).forEach(function (link) {
        var item = el("li");
        var t = data.tasks[link[0]] || { label: link[0], units: [] };
        item.appendChild(el("span", "kg-role-" + link[1], "[" + data.roles[link[1]] + "] "));
        item.appendChild(document.createTextNode(t.label));
        quoteBlock(item, t);
        list.appendChild(item);
      });
      box.appendChild(list);
      if (n.links.length > limit) {
        var shown = total > n.links.length ? "其中 " + (n.links.length - limit) + " 项" : "全部";
        box.appendChild(el("div", "kg-source", "……另有 " + (total - limit) + " 项任务，点击节点查看" + shown));
      } else if (total > limit) {
        box.appendChild(el("div", "kg-source", "……另有 " + (total - limit) +
          " 项任务未收入本页；用 kg viz --focus 单独画出这个单位即可查看"));
      }
    }
    if (full) box.appendChild(el("div", "kg-source", n.iri));
    return box;
  }

  var nodes = new vis.DataSet(kgNodeItems);
  var edges = new vis.DataSet(kgEdgeItems);
  var container = document.getElementById("mynetwork");
  var loading = document.getElementById("kg-loading");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, kgOptions);
  var api = { network: network, nodes: nodes, edges: edges, data: data, stable: false, stableMs: null };
  window.kgViz = api;

  function markStable() {
    if (api.stable) return;
    network.setOptions({ physics: { enabled: false } }); // the layout is computed once
    api.stable = true;
    api.stableMs = performance.now();
    loading.hidden = true;
    document.body.setAttribute("data-stable", "true");
  }
  network.on("stabilizationProgress", function (p) {
    document.getElementById("kg-progress").textContent = Math.round((100 * p.iterations) / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", markStable);
  if (!kgNodeItems.length) markStable();

  // Hover cards are built on first hover (vis-network shows an Element title as is).
  var titled = {};
  network.on("hoverNode", function (params) {
    var id = String(params.node);
    if (!titled[id]) {
      titled[id] = true;
      nodes.update({ id: params.node, title: card(id, false) });
    }
  });

  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var current = null;
  function showPanel(id) {
    current = String(id);
    panelBody.textContent = "";
    panelBody.appendChild(card(current, true));
    panel.hidden = false;
  }
  document.getElementById("kg-panel-close").addEventListener("click", function () { panel.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) showPanel(params.nodes[0]);
  });

  // ---- filters: type, role, jurisdiction, document, focus -------------------------------------
  var state = { jur: "", doc: "", focus: null };
  function checkedValues(selector) {
    var out = {};
    document.querySelectorAll(selector).forEach(function (box) { out[box.value] = box.checked; });
    return out;
  }
  function nodeVisible(id, types) {
    var n = data.nodes[id];
    if (!n || !types[n.type]) return false;
    if (state.jur && n.within.indexOf(state.jur) < 0) return false;
    if (state.doc && n.docs.indexOf(state.doc) < 0) return false;
    return !state.focus || state.focus[id] === true;
  }
  function applyView() {
    var types = checkedValues(".kg-type");
    var roles = checkedValues(".kg-role");
    var shown = {};
    var count = 0;
    var nodeUpdates = [];
    nodes.forEach(function (item) {
      var visible = nodeVisible(String(item.id), types);
      shown[item.id] = visible;
      if (visible) count += 1;
      if (Boolean(item.hidden) === visible) nodeUpdates.push({ id: item.id, hidden: !visible });
    });
    nodes.update(nodeUpdates);
    var edgeUpdates = [];
    edges.forEach(function (item) {
      var visible = Boolean(roles[item.role] && shown[item.from] && shown[item.to]);
      if (Boolean(item.hidden) === visible) edgeUpdates.push({ id: item.id, hidden: !visible });
    });
    edges.update(edgeUpdates);
    document.getElementById("kg-count").textContent = String(count);
    return count;
  }
  document.querySelectorAll(".kg-type, .kg-role").forEach(function (box) { box.addEventListener("change", applyView); });

  function fillSelect(select, values, label) {
    values.forEach(function (value) {
      var option = el("option", null, label(value));
      option.value = value;
      select.appendChild(option);
    });
  }
  var jurSelect = document.getElementById("kg-jurisdiction");
  var docSelect = document.getElementById("kg-document");
  var usedPlaces = {};
  Object.keys(data.nodes).forEach(function (id) { data.nodes[id].within.forEach(function (p) { usedPlaces[p] = true; }); });
  fillSelect(jurSelect, Object.keys(usedPlaces).sort(function (a, b) {
    return placeNames([a]).localeCompare(placeNames([b]), "zh");
  }), function (p) { return placeNames([p]); });
  fillSelect(docSelect, data.docOptions, function (d) {
    var doc = data.docs[d] || {};
    return (doc.title || doc.file || d) + (doc.issued ? "（" + doc.issued + "）" : "");
  });
  jurSelect.addEventListener("change", function () { state.jur = jurSelect.value; applyView(); });
  docSelect.addEventListener("change", function () { state.doc = docSelect.value; applyView(); });

  function resetView() {
    document.querySelectorAll(".kg-type, .kg-role").forEach(function (box) { box.checked = true; });
    jurSelect.value = docSelect.value = state.jur = state.doc = "";
    state.focus = null;
    applyView();
  }
  document.getElementById("kg-reset").addEventListener("click", function () { resetView(); network.fit(); });

  /* Keep the node and everything within `depth` links of it. */
  function focusOn(id, depth) {
    var adjacent = {};
    edges.forEach(function (e) {
      (adjacent[e.from] = adjacent[e.from] || []).push(e.to);
      (adjacent[e.to] = adjacent[e.to] || []).push(e.from);
    });
    var keep = {};
    var frontier = [Number(id)];
    keep[id] = true;
    for (var ring = 0; ring < depth && frontier.length; ring += 1) {
      var next = [];
      frontier.forEach(function (n) {
        (adjacent[n] || []).forEach(function (m) {
          if (!keep[m]) { keep[m] = true; next.push(m); }
        });
      });
      frontier = next;
    }
    state.focus = keep;
    applyView();
    network.fit({ nodes: Object.keys(keep).map(Number), animation: false });
  }
  document.getElementById("kg-focus-button").addEventListener("click", function () {
    if (current !== null) focusOn(current, Number(document.getElementById("kg-depth").value));
  });

  // ---- search: names and abbreviations ---------------------------------------------------------
  var searchIndex = Object.keys(data.nodes).map(function (id) {
    var n = data.nodes[id];
    return { id: id, n: n, keys: [n.name].concat(n.alt) };
  });
  function search(query) {
    var q = String(query || "").trim();
    if (!q) return [];
    var hits = [];
    searchIndex.forEach(function (entry) {
      var best = 9;
      entry.keys.forEach(function (key) {
        if (key === q) best = Math.min(best, 0);
        else if (key.indexOf(q) === 0) best = Math.min(best, 1);
        else if (key.indexOf(q) > 0) best = Math.min(best, 2);
      });
      if (best < 9) hits.push({ id: entry.id, score: best + (entry.n.type === "task" ? 3 : 0), name: entry.n.name });
    });
    hits.sort(function (a, b) {
      return a.score - b.score || a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    return hits.slice(0, 20).map(function (h) { return h.id; });
  }
  function select(id) {
    id = String(id);
    if (!nodeVisible(id, checkedValues(".kg-type"))) resetView();
    network.selectNodes([Number(id)]);
    network.focus(Number(id), { scale: Math.max(network.getScale(), 1.2), animation: false });
    showPanel(id);
    return id;
  }
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  function showResults() {
    results.textContent = "";
    if (!input.value.trim()) return;
    var found = search(input.value);
    if (!found.length) results.appendChild(el("div", "kg-source", "未找到"));
    found.forEach(function (id) {
      var n = data.nodes[id];
      var button = el("button", null, n.name);
      button.type = "button";
      button.setAttribute("role", "option");
      button.appendChild(el("span", "kg-sub", n.kind + (n.jur.length ? " · " + placeNames(n.jur) : "")));
      button.addEventListener("click", function () { select(id); });
      results.appendChild(button);
    });
  }
  input.addEventListener("input", showResults);
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var found = search(input.value);
    if (found.length) select(found[0]);
  });

  api.search = search;
  api.select = select;
  api.focusOn = focusOn;
  api.applyView = applyView;
  api.drawnNodeCount = function () { return network.body.nodeIndices.length; };
  api.drawnEdgeCount = function () { return network.body.edgeIndices.length; };
})();
