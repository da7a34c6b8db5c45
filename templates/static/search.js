// The search page: merges every shard of the Pagefind index (pagefind/shards.json) and runs
// the reader's words and filters against it. Without this script the page still offers the
// lists, so nothing depends on it; all its text comes from the page, in the page's language.
const form = document.getElementById("search");
const words = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 10;
let engine = null;
let found = [];
let shown = 0;
let asked = 0;

function say(key, count) {
  status.textContent = (status.dataset[key] || "").replace("{count}", String(count ?? ""));
}

async function load() {
  const bundles = form.dataset.bundles;
  const response = await fetch(bundles + "shards.json", { cache: "no-cache" });
  const manifest = await response.json();
  document.getElementById("search-stale").hidden = !manifest.stale;
  const pagefind = await import(bundles + manifest.bundles[0] + "pagefind.js");
  const root = form.dataset.root;
  await pagefind.options({ baseUrl: root });
  await Promise.all(manifest.bundles.slice(1).map(
    (name) => pagefind.mergeIndex(bundles + name, { baseUrl: root })));
  return pagefind;
}

function chosen() {
  const filters = {};
  for (const select of form.querySelectorAll("select[data-filter]")) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  const sort = {};
  const order = form.elements.sort.value;
  if (order) {
    const [key, direction] = order.split(":");
    sort[key] = direction;
  }
  return { filters, sort };
}

// Pagefind marks the words found with <mark>; everything else is text, never markup.
function excerpt(html) {
  const p = document.createElement("p");
  p.className = "search-excerpt";
  html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const hit = part.match(/^<mark>(.*)<\/mark>$/);
    // Inside a <p>: parsed bare, the spaces that open a part (" is providing…") were
    // dropped, and the words on either side of a mark ran together.
    const text = new DOMParser().parseFromString(`<p>${hit ? hit[1] : part}</p>`, "text/html")
      .body.textContent;
    if (hit) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      p.append(mark);
    } else {
      p.append(text);
    }
  });
  return p;
}

function card(data) {
  const meta = data.meta || {};
  const item = document.createElement("li");
  item.className = "card search-result";
  const title = document.createElement("h2");
  title.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = meta.title || data.url;
  title.append(link);
  const line = document.createElement("p");
  line.className = "card-meta";
  if (meta.rating) {
    const badge = document.createElement("span");
    badge.className = "badge verdict-" + meta.rating;
    badge.textContent = meta.rating_label || meta.rating;
    line.append(badge, " ");
  }
  const facts = [meta.kind, meta.who, meta.date].filter(Boolean);
  line.append(facts.join(" · "));
  item.append(title, line, excerpt(data.excerpt || ""));
  return item;
}

async function show(count) {
  const batch = found.slice(shown, shown + count);
  const ticket = asked;
  const datas = await Promise.all(batch.map((r) => r.data()));
  if (ticket !== asked) return;
  datas.forEach((data) => list.append(card(data)));
  shown += batch.length;
  more.hidden = shown >= found.length;
}

async function run() {
  const ticket = ++asked;
  form.dataset.asked = String(ticket);  // for tests: shown once "searched" equals it
  const term = words.value.trim();
  const { filters, sort } = chosen();
  remember(term);
  if (!term && !Object.keys(filters).length) {
    found = [];
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    form.dataset.searched = String(ticket);
    return;
  }
  say("loading");
  const result = await engine.search(term || null, { filters, sort });
  if (ticket !== asked) return;
  found = result.results;
  shown = 0;
  list.replaceChildren();
  await show(PAGE);
  if (ticket !== asked) return;
  say(found.length ? "found" : "none", found.length);
  form.dataset.searched = String(ticket);  // for tests: this search is shown
}

// The address keeps the query, so a search can be shared and the back button returns to it.
function remember(term) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const select of form.querySelectorAll("select")) {
    if (select.value) params.set(select.name, select.value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

function restore() {
  const params = new URLSearchParams(location.search);
  words.value = params.get("q") || "";
  for (const select of form.querySelectorAll("select")) {
    const value = params.get(select.name);
    if (value && [...select.options].some((o) => o.value === value)) select.value = value;
  }
}

let timer = 0;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  if (engine) run();
});
words.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => engine && run(), 250);
});
form.addEventListener("change", (event) => {
  if (event.target.tagName === "SELECT" && engine) run();
});
more.addEventListener("click", () => {
  const first = shown;
  show(PAGE).then(() => list.children[first]?.querySelector("a")?.focus());
});

restore();
load().then((pagefind) => {
  engine = pagefind;
  document.getElementById("search-nojs").hidden = true;
  form.dataset.ready = "true";
  return run();
}).catch(() => say("failed"));
