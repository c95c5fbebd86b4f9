// The page's behaviour: legend and type filter, search, details panel.
// Every piece of data is put in the page with textContent, never innerHTML:
// titles and abstracts come from the input and may contain markup.
(function () {
  "use strict";

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, payload.options);
  var colours = {};
  payload.legend.forEach(function (item) { colours[item.type] = item.colour; });
  var hiddenTypes = {};
  var pinned = null;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function swatch(colour, className) {
    var node = el("span", null, className || "kg-swatch");
    node.style.background = colour;
    return node;
  }

  function typeBadge(kind) {
    var badge = el("span", kind, "kg-type");
    badge.style.background = colours[kind] || "#777";
    return badge;
  }

  // A button that focuses a node, or plain text when the node is not drawn.
  function nodeRef(id, text) {
    if (!nodes.get(id)) return el("span", text, "kg-muted");
    var button = el("button", text, "kg-link");
    button.type = "button";
    button.addEventListener("click", function () { focusNode(id); });
    return button;
  }

  function field(list, name, value) {
    if (!value) return;
    list.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    list.appendChild(dd);
  }

  function showOverview() {
    var panel = document.getElementById("kg-details");
    panel.replaceChildren(el("h3", "Details"), el("p", "Hover over or click a node to see its details; " +
      "click an edge for its evidence. Drag to pan, scroll to zoom.", "kg-muted"));
  }

  function showNode(id) {
    var node = nodes.get(id);
    if (!node) return;
    var d = node.details;
    var panel = document.getElementById("kg-details");
    var list = el("dl");
    panel.replaceChildren(el("h3", d.title), typeBadge(node.kind), list);
    if (node.kind === "Paper") {
      field(list, "Date", d.date);
      field(list, "Source", d.source);
      if (d.url) {
        var link = el("a", d.url);
        link.href = d.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        field(list, "Link", link);
      }
      panel.appendChild(el("p", d.abstract));
      var linked = edges.get({ filter: function (e) { return e.from === id; } });
      if (linked.length) {
        panel.appendChild(el("h3", "Links (" + linked.length + ")"));
        var ul = el("ul");
        linked.forEach(function (e) {
          var li = el("li", e.relation + ": ", "kg-muted");
          li.appendChild(nodeRef(e.to, nodes.get(e.to).label));
          ul.appendChild(li);
        });
        panel.appendChild(ul);
      }
    } else {
      field(list, "Also written", d.aliases.join("; "));
      field(list, "Papers", String(d.paperCount));
      var papers = el("ul");
      d.papers.forEach(function (p) {
        var li = el("li");
        li.appendChild(nodeRef(p[0], p[1]));
        papers.appendChild(li);
      });
      panel.appendChild(papers);
      if (d.paperCount > d.papers.length) {
        panel.appendChild(el("p", "and " + (d.paperCount - d.papers.length) + " more (see entities.csv).", "kg-muted"));
      }
    }
  }

  function showEdge(id) {
    var edge = edges.get(id);
    if (!edge) return;
    var panel = document.getElementById("kg-details");
    var list = el("dl");
    panel.replaceChildren(el("h3", edge.relation), list);
    field(list, "Paper", nodeRef(edge.from, nodes.get(edge.from).details.title));
    field(list, "Entity", nodeRef(edge.to, nodes.get(edge.to).label));
    panel.appendChild(el("p", edge.evidence));
  }

  function focusNode(id) {
    pinned = id;
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }

  network.on("hoverNode", function (params) { showNode(params.node); });
  network.on("blurNode", function () { if (pinned) showNode(pinned); else showOverview(); });
  network.on("click", function (params) {
    if (params.nodes.length) { pinned = params.nodes[0]; showNode(pinned); }
    else if (params.edges.length) { pinned = null; showEdge(params.edges[0]); }
    else { pinned = null; showOverview(); }
  });

  // Physics lays the graph out once; then it stops so nothing keeps moving.
  network.on("stabilizationProgress", function (params) {
    document.getElementById("kg-progress").textContent =
      "Laying out the graph… " + Math.round(100 * params.iterations / params.total) + "%";
  });
  function laidOut() {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    // Read by scripts and tests that drive the page: how many nodes were laid out.
    document.body.dataset.drawnNodes = String(Object.keys(network.getPositions()).length);
    document.body.dataset.state = "ready";
  }
  // An empty network (everything cut by --html-max-nodes) never stabilises: nothing to lay out.
  if (nodes.length) network.once("stabilizationIterationsDone", laidOut); else laidOut();
  // For scripting the page from the browser console (and for the browser tests).
  window.kgGraph = { network: network, nodes: nodes, edges: edges };

  function buildLegend() {
    var legend = document.getElementById("kg-legend");
    payload.legend.forEach(function (item) {
      var li = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", function () { setTypeVisible(item.type, box.checked); });
      label.append(box, swatch(item.colour), el("span", item.type));
      var count = item.shown === item.total ? String(item.total) : item.shown + " of " + item.total;
      li.append(label, el("span", count, "kg-count"));
      legend.appendChild(li);
    });
    var relations = document.getElementById("kg-relations");
    var used = {};
    payload.edges.forEach(function (e) { used[e.relation] = true; });
    Object.keys(payload.relations).forEach(function (relation) {
      if (!used[relation]) return;
      var li = el("li");
      li.append(swatch(payload.relations[relation], "kg-line"), el("span", relation.replace("_", " ")));
      relations.appendChild(li);
    });
  }

  function setTypeVisible(kind, visible) {
    hiddenTypes[kind] = !visible;
    nodes.update(nodes.get({ filter: function (n) { return n.kind === kind; } }).map(function (n) {
      return { id: n.id, hidden: !visible };
    }));
  }

  function matches(query) {
    var q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    return nodes.get({
      filter: function (n) {
        if (hiddenTypes[n.kind]) return false;
        var d = n.details;
        return d.title.toLowerCase().indexOf(q) >= 0 ||
          (d.aliases || []).some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
      },
    }).sort(function (a, b) { return b.value - a.value; }).slice(0, 15);
  }

  function buildSearch() {
    var input = document.getElementById("kg-search");
    var results = document.getElementById("kg-results");
    var found = [];
    function choose(node) {
      results.replaceChildren();
      input.value = node.details.title;
      focusNode(node.id);
    }
    input.addEventListener("input", function () {
      found = matches(input.value);
      results.replaceChildren.apply(results, found.map(function (n) {
        var li = el("li");
        li.setAttribute("role", "option");
        li.append(typeBadge(n.kind), el("span", n.details.title));
        li.addEventListener("click", function () { choose(n); });
        return li;
      }));
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && found.length) choose(found[0]);
      if (event.key === "Escape") results.replaceChildren();
    });
  }

  document.getElementById("kg-summary").textContent = payload.summary;
  buildLegend();
  buildSearch();
  showOverview();
})();
