// The page's behaviour: the map, its labels, clusters, filters, search and details panel
// (with an entity's relations and a dataset's leaderboard).
// Every piece of data is put in the page with textContent, never innerHTML:
// titles and abstracts come from the input and may contain markup.
(function () {
  "use strict";

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  // Paper titles get labels once the view is zoomed in this far beyond the whole map.
  var TITLE_ZOOM = 2.5;
  var TITLE_CHARS = 48;
  var GLYPHS = { dot: "●", diamond: "◆", square: "■", triangle: "▲", hexagon: "⬢", star: "★", triangleDown: "▼" };

  var byId = {};
  var edgesOf = {};
  // Entity -> entity relations, apart from the paper links: the details list them by type and side.
  var relationsOf = {};
  var relationType = {};
  var shapeOf = {};
  var clusterById = {};
  var members = {};
  payload.types.forEach(function (t) { shapeOf[t.type] = t.shape; });
  payload.entityRelations.forEach(function (r) { relationType[r.type] = r; });
  payload.clusters.forEach(function (c) { clusterById[c.id] = c; members[c.id] = []; });
  payload.nodes.forEach(function (n) {
    byId[n.id] = n;
    edgesOf[n.id] = [];
    relationsOf[n.id] = [];
    members[n.cluster].push(n);
    n.search = [n.label].concat((n.details.aliases || [])).join("\n").toLowerCase();
  });
  payload.edges.forEach(function (e) { edgesOf[e.from].push(e); edgesOf[e.to].push(e); });
  payload.relationEdges.forEach(function (e) { relationsOf[e.from].push(e); relationsOf[e.to].push(e); });

  var state = { showSingle: false, hiddenTypes: {}, hiddenRelations: {}, revealed: {}, expanded: {}, pinned: null, fitScale: 1 };
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false },
    nodes: { borderWidth: 1, font: { size: 0 }, chosen: { node: function (values) { values.borderWidth = 3; values.borderColor = "#000"; } } },
    edges: { width: 0.6, selectionWidth: 2, smooth: false, arrows: { to: { enabled: false } }, chosen: false },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: payload.edges.length > 3000, hideEdgesOnZoom: payload.edges.length > 3000 },
  });

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function swatch(colour) {
    var node = el("span", null, "kg-swatch");
    node.style.background = colour;
    return node;
  }

  function hiddenNode(n) {
    return Boolean(state.hiddenTypes[n.kind] || (n.single && !state.showSingle && !state.revealed[n.id]));
  }

  function visNode(n) {
    var colour = clusterById[n.cluster].colour;
    var paper = n.kind === "Paper";
    return {
      id: n.id, x: n.x, y: n.y, shape: shapeOf[n.kind], hidden: hiddenNode(n),
      size: paper ? 5 : Math.min(4 + 3 * Math.sqrt(n.papers), 30),
      color: { background: colour, border: paper ? "#ffffff" : "#333333", hover: { background: colour, border: "#000" }, highlight: { background: colour, border: "#000" } },
    };
  }

  function visEdge(e) {
    var between = relationType[e.relation];
    if (!between) return { id: e.id, from: e.from, to: e.to, color: { color: payload.relations[e.relation], opacity: 0.25 } };
    // Between entities: dashed, in the relation's colour, pointing from head to tail, thicker when more papers say it.
    return {
      id: e.id, from: e.from, to: e.to, dashes: [6, 4], width: 1.2 + Math.log(1 + e.papers),
      color: { color: between.colour, opacity: 0.85 }, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      hidden: Boolean(state.hiddenRelations[e.relation]),
    };
  }

  // --- What is drawn: every node, or in the overview one node per cluster until it is expanded.
  function clusterNodeId(id) { return "cluster:" + id; }

  function drawAll() {
    nodes.add(payload.nodes.map(visNode));
    edges.add(payload.edges.map(visEdge));
    edges.add(payload.relationEdges.map(visEdge));
  }

  function drawOverview() {
    nodes.add(payload.clusters.map(function (c) {
      return {
        id: clusterNodeId(c.id), x: c.x, y: c.y, shape: "dot", size: 6 + 2 * Math.sqrt(c.papers),
        color: { background: c.colour, border: "#333333", highlight: { background: c.colour, border: "#000" } },
      };
    }));
    edges.add(payload.clusterLinks.map(function (l) {
      return { id: "clusters:" + l[0] + ":" + l[1], from: clusterNodeId(l[0]), to: clusterNodeId(l[1]), width: Math.min(0.5 + Math.log(l[2]), 6), color: { color: "#999999", opacity: 0.3 } };
    }));
  }

  // The cluster's papers and entities in place of its node, at most maxNodes of them, best linked first.
  function expand(id) {
    if (!payload.overview || state.expanded[id]) return;
    state.expanded[id] = true;
    var chosen = members[id].slice().sort(function (a, b) { return (b.papers - a.papers) || (edgesOf[b.id].length - edgesOf[a.id].length); }).slice(0, payload.maxNodes);
    nodes.remove(clusterNodeId(id));
    nodes.add(chosen.map(visNode));
    edges.update(linksOf(chosen));
  }

  // The edges of ``list`` whose both ends are drawn, each once.
  function linksOf(list) {
    var drawn = {};
    nodes.getIds().forEach(function (v) { drawn[v] = true; });
    var seen = {};
    var out = [];
    list.forEach(function (n) {
      edgesOf[n.id].concat(relationsOf[n.id]).forEach(function (e) {
        if (!seen[e.id] && drawn[e.from] && drawn[e.to]) { seen[e.id] = true; out.push(visEdge(e)); }
      });
    });
    return out;
  }

  function reveal(id) {
    var n = byId[id];
    if (!n) return false;
    expand(n.cluster);
    if (!nodes.get(id)) { nodes.add(visNode(n)); edges.update(linksOf([n])); }
    if (n.single) state.revealed[id] = true;
    if (state.hiddenTypes[n.kind]) setTypeVisible(n.kind, true);
    nodes.update({ id: id, hidden: false });
    return true;
  }

  // --- Labels: placed by the page, most papers first, none over another.
  var widths = {};
  var labelBoxes = [];

  function textWidth(ctx, text, font) {
    var key = font + "\n" + text;
    if (!(key in widths)) { ctx.font = font; widths[key] = ctx.measureText(text).width; }
    return widths[key];
  }

  function candidates() {
    var list = [];
    var titles = network.getScale() >= state.fitScale * TITLE_ZOOM;
    var positions = network.getPositions();
    nodes.forEach(function (v) {
      if (v.hidden) return;
      var pos = positions[v.id];
      if (v.id.indexOf("cluster:") === 0) {
        var c = clusterById[v.id.slice(8)];
        list.push({ id: v.id, text: c.short, x: pos.x, y: pos.y, r: v.size, size: 15, weight: "bold", colour: "#222", rank: 1e9 + c.papers });
        return;
      }
      var n = byId[v.id];
      if (n.kind === "Paper") {
        if (titles || state.pinned === n.id) list.push({ id: n.id, text: n.label.length > TITLE_CHARS ? n.label.slice(0, TITLE_CHARS - 1) + "…" : n.label, x: pos.x, y: pos.y, r: v.size, size: 11, weight: "normal", colour: "#555", rank: 0 });
        return;
      }
      list.push({ id: n.id, text: n.label, x: pos.x, y: pos.y, r: v.size, size: Math.min(10 + 2 * Math.sqrt(n.papers), 22), weight: n.papers >= 4 ? "bold" : "normal", colour: "#222", rank: n.papers });
    });
    if (!payload.overview) {
      payload.clusters.forEach(function (c) {
        if (c.id >= 0) list.push({ id: "cluster:" + c.id, text: c.short, x: c.x, y: c.y, r: 0, size: 15, weight: "bold", colour: ink(c.colour), rank: 1e9 + c.papers, cluster: true });
      });
    }
    list.forEach(function (c) { if (c.id === state.pinned) c.rank = 2e9; });
    return list.sort(function (a, b) { return (b.rank - a.rank) || (a.text < b.text ? -1 : 1); });
  }

  // A light cluster colour darkened until its name reads on white (half the palette is light).
  function ink(colour) {
    var rgb = [1, 3, 5].map(function (i) { return parseInt(colour.slice(i, i + 2), 16); });
    var light = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
    var k = light > 0.6 ? 0.6 / light : 1;
    return "rgb(" + rgb.map(function (v) { return Math.round(v * k); }).join(",") + ")";
  }

  function overlaps(box, placed) {
    for (var i = 0; i < placed.length; i++) {
      var p = placed[i];
      if (box.left < p.left + p.width && p.left < box.left + box.width && box.top < p.top + p.height && p.top < box.top + box.height) return true;
    }
    return false;
  }

  network.on("afterDrawing", function (ctx) {
    var canvas = ctx.canvas;
    var ratio = canvas.width / canvas.clientWidth || 1;
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    var scale = network.getScale();
    var placed = [];
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    candidates().forEach(function (c) {
      var at = network.canvasToDOM({ x: c.x, y: c.y });
      var font = c.weight + " " + c.size + "px system-ui, sans-serif";
      var w = textWidth(ctx, c.text, font) + 4;
      var h = c.size + 4;
      // A node's label goes below it, else above. A cluster names a region, not a point: centred near
      // the edge, its name slides inwards rather than drop out, and a name over the map that meets
      // another label moves up or down a line or two, so that two clusters drawn close together
      // both get a name.
      var tops = c.cluster ? [0, -1, 1, -2, 2].map(function (k) { return at.y - h / 2 + k * h; })
        : [at.y + c.r * scale + 1, at.y - c.r * scale - h - 1];
      var slides = c.id.indexOf("cluster:") === 0 && at.x >= 0 && at.x <= width;
      var left = slides ? Math.min(Math.max(at.x - w / 2, 0), width - w) : at.x - w / 2;
      var box = null;
      tops.some(function (top) {
        var b = { left: left, top: top, width: w, height: h };
        if (b.left < 0 || b.top < 0 || b.left + w > width || b.top + h > height || overlaps(b, placed)) return false;
        box = b;
        return true;
      });
      if (!box) return;
      box.text = c.text;
      box.id = c.id;
      placed.push(box);
      ctx.font = font;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.strokeText(c.text, box.left + 2, box.top + 2);
      ctx.fillStyle = c.colour;
      ctx.fillText(c.text, box.left + 2, box.top + 2);
    });
    ctx.restore();
    labelBoxes = placed;
  });

  // --- Details panel.
  function typeBadge(kind) {
    var badge = el("span", (GLYPHS[shapeOf[kind]] || "") + " " + kind, "kg-type");
    return badge;
  }

  function nodeRef(id, text) {
    var button = el("button", text, "kg-link");
    button.type = "button";
    button.addEventListener("click", function () { focusNode(id); });
    return button;
  }

  function clusterRef(id) {
    var c = clusterById[id];
    var button = el("button", null, "kg-link");
    button.type = "button";
    button.append(swatch(c.colour), document.createTextNode(" " + c.name));
    button.addEventListener("click", function () { focusCluster(id); });
    return button;
  }

  function field(list, name, value) {
    if (!value) return;
    list.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    list.appendChild(dd);
  }

  function panel() { return document.getElementById("kg-details"); }

  function number(value) { return String(Math.round(value * 1000) / 1000); }

  // A dataset's results, one table per metric, best first; a score's sentence on hover, and below it on click.
  function showLeaderboard(board) {
    panel().appendChild(el("h3", "Leaderboard"));
    board.forEach(function (metric) {
      var table = el("table", null, "kg-board");
      table.appendChild(el("caption", metric.metric + (metric.lowerIsBetter ? " (lower is better)" : " (higher is better)")));
      var head = el("tr");
      head.append(el("th", "#"), el("th", "Method · paper"), el("th", "Score"));
      table.appendChild(head);
      metric.results.forEach(function (r) {
        var row = el("tr");
        row.title = r.sentence;
        var who = el("td");
        who.appendChild(r.method && byId[r.method] ? nodeRef(r.method, r.methodLabel) : el("span", r.methodLabel || "(method not named)", r.methodLabel ? null : "kg-muted"));
        who.appendChild(el("br"));
        who.appendChild(byId[r.paper] ? nodeRef(r.paper, r.title) : el("span", r.title));
        who.lastChild.classList.add("kg-paper");
        var score = el("button", (r.gain ? "+" : "") + number(r.value) + (r.unit || ""), "kg-link kg-score");
        score.type = "button";
        score.title = "Show the sentence";
        var evidence = el("tr", null, "kg-evidence");
        evidence.hidden = true;
        var said = el("td", r.sentence);
        said.colSpan = 3;
        evidence.appendChild(said);
        score.addEventListener("click", function () { evidence.hidden = !evidence.hidden; });
        var cell = el("td");
        cell.appendChild(score);
        row.append(el("td", r.gain ? "gain" : String(r.rank), "kg-rank"), who, cell);
        table.append(row, evidence);
      });
      panel().appendChild(table);
    });
  }

  // The entity's relations by type, its own (head) side first: "Used for", ..., "Narrower tasks".
  function showRelations(id) {
    payload.entityRelations.forEach(function (type) {
      [["from", "to", type.out], ["to", "from", type["in"]]].forEach(function (side) {
        var found = relationsOf[id].filter(function (e) { return e.relation === type.type && e[side[0]] === id; });
        if (!found.length) return;
        var heading = el("h3", side[2] + " (" + found.length + ")");
        heading.prepend(swatch(type.colour), document.createTextNode(" "));
        var ul = el("ul", null, "kg-relations");
        found.sort(function (a, b) { return (b.papers - a.papers) || (byId[a[side[1]]].label < byId[b[side[1]]].label ? -1 : 1); })
          .forEach(function (e) {
            var other = e[side[1]];
            var li = el("li");
            li.title = (e.evidence || []).map(function (said) { return said[1]; }).join("\n\n");
            li.appendChild(nodeRef(other, byId[other].label));
            li.appendChild(el("span", e.papers ? " (" + e.papers + (e.papers === 1 ? " paper)" : " papers)") : " (by its name)", "kg-muted"));
            ul.appendChild(li);
          });
        panel().append(heading, ul);
      });
    });
  }

  function showOverview() {
    panel().replaceChildren(el("h3", "Details"), el("p", payload.overview ?
      "Click a cluster to draw its papers and entities; click a node for its details. Drag to pan, scroll to zoom." :
      "Click a node for its details, an edge for its evidence, a cluster on the right to go to it. " +
      "Scroll to zoom in: paper titles appear.", "kg-muted"));
  }

  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    var d = n.details;
    var list = el("dl");
    panel().replaceChildren(el("h3", d.title), typeBadge(n.kind), list);
    field(list, "Cluster", clusterRef(n.cluster));
    field(list, "IRI", el("code", n.iri));
    if (n.kind === "Paper") {
      field(list, "Date", d.date);
      field(list, "Source", d.source);
      if (d.url) {
        var link = el("a", d.url);
        link.href = d.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        field(list, "Link", link);
      }
      panel().appendChild(el("p", d.abstract));
      var linked = edgesOf[id];
      if (linked.length) {
        panel().appendChild(el("h3", "Links (" + linked.length + ")"));
        var ul = el("ul");
        linked.forEach(function (e) {
          var entity = byId[e.to];
          var li = el("li", e.relation.replace("_", " ") + ": ", "kg-muted");
          li.appendChild(nodeRef(e.to, entity.label));
          if (entity.single) li.appendChild(el("span", " (this paper only)", "kg-muted"));
          ul.appendChild(li);
        });
        panel().appendChild(ul);
      }
    } else {
      field(list, "Also written", d.aliases.join("; "));
      field(list, "Papers", String(d.paperCount));
      if (d.leaderboard) showLeaderboard(d.leaderboard);
      showRelations(id);
      panel().appendChild(el("h3", "Papers (" + d.paperCount + ")"));
      var papers = el("ul", null, "kg-papers");
      d.papers.forEach(function (p) {
        var li = el("li");
        li.appendChild(nodeRef(p[0], p[1]));
        papers.appendChild(li);
      });
      panel().appendChild(papers);
      if (d.paperCount > d.papers.length) {
        panel().appendChild(el("p", "and " + (d.paperCount - d.papers.length) + " more (see entities.csv).", "kg-muted"));
      }
    }
  }

  function showRelation(e) {
    var list = el("dl");
    var type = relationType[e.relation];
    var heading = el("h3", e.relation);
    heading.prepend(swatch(type.colour), document.createTextNode(" "));
    panel().replaceChildren(heading, list);
    field(list, "From", nodeRef(e.from, byId[e.from].label));
    field(list, "To", nodeRef(e.to, byId[e.to].label));
    field(list, "Papers", e.papers ? String(e.papers) : "none: read from the names");
    if (e.evidence === undefined) {
      panel().appendChild(el("p", "The sentences are in relations.csv: pages past --html-max-nodes leave them out.", "kg-muted"));
      return;
    }
    var ul = el("ul", null, "kg-relations");
    e.evidence.forEach(function (said) {
      var li = el("li");
      li.append(nodeRef(said[0], byId[said[0]].label), el("p", said[1]));
      ul.appendChild(li);
    });
    panel().appendChild(ul);
    if (e.papers > e.evidence.length) panel().appendChild(el("p", "and more in relations.csv.", "kg-muted"));
  }

  function showEdge(id) {
    var relation = payload.relationEdges.find(function (edge) { return edge.id === id; });
    if (relation) { showRelation(relation); return; }
    var e = payload.edges.find(function (edge) { return edge.id === id; });
    if (!e) return;
    var list = el("dl");
    panel().replaceChildren(el("h3", e.relation.replace("_", " ")), list);
    field(list, "Paper", nodeRef(e.from, byId[e.from].label));
    field(list, "Entity", nodeRef(e.to, byId[e.to].label));
    panel().appendChild(e.evidence === undefined ?
      el("p", "The sentence is in mentions.csv: pages past --html-max-nodes leave it out.", "kg-muted") :
      el("p", e.evidence));
  }

  function showCluster(id) {
    var c = clusterById[id];
    var list = el("dl");
    panel().replaceChildren(el("h3", c.name), list);
    field(list, "Papers", String(c.papers));
    field(list, "Named by", c.terms.join("; "));
    var ul = el("ul");
    members[id].filter(function (n) { return n.kind === "Paper"; }).slice(0, 40).forEach(function (n) {
      var li = el("li");
      li.appendChild(nodeRef(n.id, n.label));
      ul.appendChild(li);
    });
    panel().appendChild(ul);
  }

  function setHash(value) {
    history.replaceState(null, "", value ? "#" + value : location.pathname + location.search);
  }

  function focusNode(id) {
    if (!reveal(id)) return;
    state.pinned = id;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), state.fitScale * TITLE_ZOOM), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
    setHash("node=" + encodeURIComponent(id));
  }

  function focusCluster(id) {
    var c = clusterById[id];
    if (!c) return;
    expand(id);
    state.pinned = null;
    var ids = members[id].filter(function (n) { return nodes.get(n.id) && !nodes.get(n.id).hidden; }).map(function (n) { return n.id; });
    network.unselectAll();
    if (ids.length) network.fit({ nodes: ids, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showCluster(id);
    setHash("cluster=" + id);
  }

  network.on("click", function (params) {
    var id = params.nodes[0];
    if (id && id.indexOf("cluster:") === 0) { focusCluster(Number(id.slice(8))); return; }
    if (id) { state.pinned = id; showNode(id); setHash("node=" + encodeURIComponent(id)); network.redraw(); }
    else if (params.edges.length && byId[edges.get(params.edges[0]).from]) { state.pinned = null; showEdge(params.edges[0]); }
    else { state.pinned = null; showOverview(); setHash(""); }
  });
  network.on("hoverNode", function (params) { if (!state.pinned && byId[params.node]) showNode(params.node); });
  network.on("blurNode", function () { if (!state.pinned) showOverview(); });

  // --- Side panel: clusters, types, one-paper entities.
  function buildClusters() {
    var list = document.getElementById("kg-clusters");
    payload.clusters.forEach(function (c) {
      var li = el("li");
      var button = el("button", null, "kg-cluster");
      button.type = "button";
      button.dataset.cluster = String(c.id);
      button.append(swatch(c.colour), el("span", c.name), el("span", String(c.papers), "kg-count"));
      button.addEventListener("click", function () { focusCluster(c.id); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  // One row of a legend: a ticked box that shows or hides what ``key`` (the box's data-*) names.
  function legendRow(legend, key, value, marker, count, setVisible) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset[key] = value;
    box.addEventListener("change", function () { setVisible(value, box.checked); });
    label.append(box, marker, el("span", value));
    li.append(label, el("span", count, "kg-count"));
    legend.appendChild(li);
  }

  function buildLegend() {
    var legend = document.getElementById("kg-legend");
    payload.types.forEach(function (item) {
      var count = item.shown === item.total ? String(item.total) : item.shown + " of " + item.total;
      legendRow(legend, "type", item.type, el("span", GLYPHS[item.shape] || "", "kg-glyph"), count, setTypeVisible);
    });
    var single = payload.nodes.filter(function (n) { return n.single; }).length;
    var toggle = document.getElementById("kg-single");
    if (!single) { toggle.parentNode.parentNode.hidden = true; return; }
    document.getElementById("kg-single-count").textContent = String(single);
    toggle.addEventListener("change", function () {
      state.showSingle = toggle.checked;
      nodes.update(payload.nodes.filter(function (n) { return n.single && nodes.get(n.id); }).map(function (n) { return { id: n.id, hidden: hiddenNode(n) }; }));
    });
  }

  function buildRelationLegend() {
    var legend = document.getElementById("kg-relation-legend");
    if (!payload.entityRelations.length) { legend.parentNode.hidden = true; return; }
    payload.entityRelations.forEach(function (item) {
      var line = el("span", null, "kg-dash");
      line.style.borderTopColor = item.colour;
      legendRow(legend, "relation", item.type, line, String(item.count), setRelationVisible);
    });
  }

  function setRelationVisible(type, visible) {
    state.hiddenRelations[type] = !visible;
    edges.update(payload.relationEdges.filter(function (e) { return e.relation === type && edges.get(e.id); }).map(visEdge));
  }

  function setTypeVisible(kind, visible) {
    state.hiddenTypes[kind] = !visible;
    var box = document.querySelector('#kg-legend input[data-type="' + kind + '"]');
    if (box) box.checked = visible;
    nodes.update(payload.nodes.filter(function (n) { return n.kind === kind && nodes.get(n.id); }).map(function (n) {
      return { id: n.id, hidden: hiddenNode(n) };
    }));
  }

  // --- Search: titles, labels and aliases, in every node the page holds (drawn or not).
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    return payload.nodes.filter(function (n) { return n.search.indexOf(q) >= 0; })
      .sort(function (a, b) { return (b.papers - a.papers) || (edgesOf[b.id].length - edgesOf[a.id].length); }).slice(0, 15);
  }

  function buildSearch() {
    var input = document.getElementById("kg-search");
    var results = document.getElementById("kg-results");
    var found = [];
    function choose(n) {
      results.replaceChildren();
      input.value = n.label;
      focusNode(n.id);
    }
    input.addEventListener("input", function () {
      found = matches(input.value);
      results.replaceChildren.apply(results, found.map(function (n) {
        var li = el("li");
        li.setAttribute("role", "option");
        li.append(typeBadge(n.kind), el("span", n.label));
        li.addEventListener("click", function () { choose(n); });
        return li;
      }));
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && found.length) choose(found[0]);
      if (event.key === "Escape") results.replaceChildren();
    });
  }

  function followHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash.indexOf("node=") === 0) focusNode(hash.slice(5));
    else if (hash.indexOf("cluster=") === 0) focusCluster(Number(hash.slice(8)));
  }

  document.getElementById("kg-summary").textContent = payload.summary;
  buildClusters();
  buildLegend();
  buildRelationLegend();
  buildSearch();
  showOverview();
  if (payload.overview) drawOverview(); else drawAll();
  network.fit({ nodes: nodes.getIds({ filter: function (v) { return !v.hidden; } }), animation: false });
  state.fitScale = network.getScale();
  // Read by scripts and tests: the milliseconds from loading the page to a still, labelled drawing.
  network.once("afterDrawing", function () {
    document.body.dataset.ready = String(Math.round(performance.now()));
    document.body.dataset.drawnNodes = String(nodes.get({ filter: function (v) { return !v.hidden; } }).length);
    document.body.dataset.state = "ready";
    followHash();
  });
  network.redraw();
  window.addEventListener("hashchange", followHash);
  // For scripting the page from the browser console (and for the browser tests).
  window.kgGraph = {
    network: network, nodes: nodes, edges: edges, payload: payload,
    labels: function () { return labelBoxes.map(function (b) { return { id: b.id, text: b.text, left: b.left, top: b.top, width: b.width, height: b.height }; }); },
    expand: expand, focusNode: focusNode, focusCluster: focusCluster, showEdge: showEdge,
  };
})();
