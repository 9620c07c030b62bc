/**
 * What runs in the browser: the widget's style sheet and script, shared by the iframe page
 * (inline, allowed by hash) and /embed.js (inside a Shadow DOM on the host page).
 *
 * The script never parses HTML: items are built with createElement/textContent, links and
 * images must be http(s). It keeps the list live through the articleAdded subscription
 * (GraphQL over SSE, with EventSource), reconnects with exponential back-off and jitter, and
 * polls the GraphQL query while the stream is down or when EventSource is missing.
 *
 * Plain ES2017 in strings (no build step for browser code); keep it small: it is inlined into
 * every widget page, which must stay well under 30 KB.
 */
import { relativeTime } from './time.js';

export const WIDGET_CSS = `:host{all:initial;display:block}
body{margin:0}
body>.ng{min-height:100vh}
.ng{--bg:#fff;--fg:#1b1c1e;--mu:#5b6067;--ln:#e3e5e8;--ac:#0a58ca;--nw:#fff2c2;color-scheme:light;box-sizing:border-box;container-type:inline-size;background:var(--bg);color:var(--fg);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;padding:8px 12px;text-align:left}
.ng.dark{--bg:#16181b;--fg:#e6e8eb;--mu:#9ca3ab;--ln:#2b2f34;--ac:#8ab4f8;--nw:#3d3620;color-scheme:dark}
@media (prefers-color-scheme:dark){.ng.auto{--bg:#16181b;--fg:#e6e8eb;--mu:#9ca3ab;--ln:#2b2f34;--ac:#8ab4f8;--nw:#3d3620;color-scheme:dark}}
.ng *{box-sizing:border-box}
.hd{margin:0 0 2px;font-size:12px;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--mu)}
.ls{list-style:none;margin:0;padding:0}
.it{position:relative;display:flex;gap:10px;align-items:flex-start;padding:9px 0;border-top:1px solid var(--ln)}
.it:first-child{border-top:0}
.bd{flex:1;min-width:0}
.tt{color:var(--fg);font-weight:600;text-decoration:none;overflow-wrap:anywhere;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.tt::after{content:"";position:absolute;inset:0}
.it:hover .tt{color:var(--ac);text-decoration:underline}
.ng a:focus-visible{outline:2px solid var(--ac);outline-offset:2px;border-radius:2px}
.mt{display:flex;gap:4px;margin:3px 0 0;font-size:12.5px;color:var(--mu);white-space:nowrap}
.src{overflow:hidden;text-overflow:ellipsis;min-width:0}
.mt time{flex:none}
.th{flex:none;width:96px;height:64px;object-fit:cover;border-radius:4px;background:var(--ln)}
.em{margin:8px 0;color:var(--mu)}
.nw{animation:ngnw 4s ease-out}
@keyframes ngnw{from{background:var(--nw)}}
@media (prefers-reduced-motion:reduce){.nw{animation:none}}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@container (max-width:340px){.it{gap:8px}.tt{font-size:14px}.th{width:64px;height:48px}}`;

/** One fragment for the query (polling) and the subscription, so both yield the same items. */
const FIELDS = 'fragment A on Article{id title link imageUrl publishedAt sources{name} story{id sources{name}}}';
export const POLL_QUERY = `query EmbedPoll($f:ArticleFilter,$n:Int){articles(first:$n,filter:$f){edges{node{...A}}}} ${FIELDS}`;
export const LIVE_SUBSCRIPTION = `subscription EmbedLive($f:ArticleFilter){articleAdded(filter:$f){...A}} ${FIELDS}`;

/**
 * ngWidget(root, cfg, items): root holds h2.hd, ul.ls, p.em and the status region; items
 * already in the list (server-rendered) are read back from their data attributes; `items` are
 * added to them. cfg: { gql, data, filter, words, collapse, limit, lang, at, every }.
 */
const WIDGET = String.raw`function ngWidget(root, cfg, initial) {
  var doc = root.ownerDocument, ul = root.querySelector('.ls'), em = root.querySelector('.em'), st = root.querySelector('.sr');
  var rel = RELTIME, lang = cfg.lang, en = lang === 'en';
  var list = [], es = null, fails = 0, pollT = 0, retryT = 0, annT = 0, annN = 0, annLast = '';
  function mk(tag, cls) { var e = doc.createElement(tag); if (cls) e.className = cls; return e; }
  function safe(u) {
    try { var x = new URL(u); return (x.protocol === 'http:' || x.protocol === 'https:') && x.hostname ? x.href : null; } catch (e) { return null; }
  }
  function text(s) { return String(s == null ? '' : s).replace(/<\/?[a-zA-Z][^>]*>/g, ' ').replace(/\s+/g, ' ').trim(); }
  function link(a, href) { a.href = href; a.target = '_blank'; a.rel = 'noopener'; return a; }
  function render(it) {
    var li = mk('li', 'it'), bd = mk('div', 'bd'), a = link(mk('a', 'tt'), it.url), mt = mk('p', 'mt'), src = mk('span', 'src'), t = mk('time');
    li.setAttribute('data-n', it.n); li.setAttribute('data-s', it.s);
    a.textContent = it.title;
    src.textContent = it.outlets.join(', ');
    t.dateTime = new Date(it.published).toISOString();
    t.textContent = rel(it.published, Date.now(), lang);
    mt.append(src, ' \u00b7 ', t); bd.append(a, mt); li.append(bd);
    var img = it.image && safe(it.image);
    if (img) {
      var im = mk('img', 'th');
      im.src = img; im.alt = ''; im.loading = 'lazy'; im.decoding = 'async'; im.referrerPolicy = 'no-referrer'; im.width = 96; im.height = 64;
      watch(im); li.append(im);
    }
    return li;
  }
  // A thumbnail that fails to load leaves no empty box.
  function watch(im) {
    if (im.complete && !im.naturalWidth && im.getAttribute('src')) im.remove(); else im.addEventListener('error', function () { im.remove(); });
  }
  function newer(a, b) { return a.p > b.p || (a.p === b.p && a.n > b.n); }
  function union(a, b) { var out = a.slice(); b.forEach(function (x) { if (out.indexOf(x) < 0) out.push(x); }); return out; }
  function sync() { em.hidden = list.length > 0; }
  function add(it, fresh) {
    var url = safe(it.url);
    if (!url || !it.n) return false;
    it.url = url; it.title = text(it.title) || url;
    it.outlets = (it.outlets || []).map(text).filter(Boolean);
    var rec = { n: it.n, s: it.s, p: it.published, o: it.outlets }, i;
    for (i = 0; i < list.length; i++) if (list[i].n === it.n) return false;
    if (cfg.collapse) {
      for (i = 0; i < list.length; i++) {
        var old = list[i];
        if (old.s !== it.s) continue;
        if (newer(old, rec)) {
          // An older report of a story already shown: it only adds its outlets.
          old.o = union(old.o, it.outlets);
          old.el.querySelector('.src').textContent = old.o.join(', ');
          return false;
        }
        rec.o = it.outlets = union(it.outlets, old.o);
        list.splice(i, 1); old.el.remove();
        break;
      }
    }
    if (!it.outlets.length) it.outlets = rec.o = ['newsgate'];
    var pos = 0;
    while (pos < list.length && newer(list[pos], rec)) pos++;
    if (pos >= cfg.limit) return false;
    rec.el = render(it);
    ul.insertBefore(rec.el, pos < list.length ? list[pos].el : null);
    list.splice(pos, 0, rec);
    while (list.length > cfg.limit) list.pop().el.remove();
    sync();
    if (fresh) {
      rec.el.classList.add('nw');
      setTimeout(function () { rec.el.classList.remove('nw'); }, 4000);
      announce(it.title);
    }
    return true;
  }
  function announce(title) {
    annN++; annLast = title; clearTimeout(annT);
    annT = setTimeout(function () {
      st.textContent = annN === 1 ? (en ? 'New story: ' : 'Tin mới: ') + annLast : annN + (en ? ' new stories' : ' tin mới');
      annN = 0;
    }, 700);
  }
  function lid(id) { try { return +atob(id).split(':')[1] || 0; } catch (e) { return 0; } }
  function fromGql(a) {
    var o = cfg.collapse && a.story ? a.story.sources : a.sources;
    return { n: lid(a.id), s: a.story ? lid(a.story.id) : 0, url: a.link, title: a.title, image: a.imageUrl, published: Date.parse(a.publishedAt),
      outlets: (o || []).map(function (x) { return x.name; }) };
  }
  function gqlUrl(q, v) { return cfg.gql + (cfg.gql.indexOf('?') < 0 ? '?' : '&') + 'query=' + encodeURIComponent(q) + '&variables=' + encodeURIComponent(JSON.stringify(v)); }
  function get(u) {
    return fetch(u, { headers: { accept: 'application/graphql-response+json, application/json' }, credentials: 'omit' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });
  }
  var busy = null, again = false;
  function refresh() {
    // One read at a time; a request during a read means something newer was stored: read once more after.
    if (busy) { again = true; return busy; }
    var p = cfg.words
      ? get(cfg.data).then(function (d) { return d.items; })
      : get(gqlUrl(cfg.query, { f: cfg.filter, n: cfg.limit })).then(function (d) { return d.data.articles.edges.map(function (e) { return fromGql(e.node); }); });
    busy = p.then(function (items) { items.reverse().forEach(function (it) { add(it, true); }); }, function () {})
      .then(function () { busy = null; if (again) { again = false; refresh(); } });
    return busy;
  }
  function mode(m) { root.setAttribute('data-live', m); }
  function poll(on) {
    if (on && !pollT) { pollT = setInterval(refresh, cfg.every || 30000); mode('poll'); }
    if (!on && pollT) { clearInterval(pollT); pollT = 0; }
  }
  function connect() {
    retryT = 0;
    if (typeof EventSource !== 'function') { poll(true); return; }
    var src = es = new EventSource(gqlUrl(cfg.sub, { f: cfg.filter }));
    function lost() {
      if (es !== src) return;
      src.close(); es = null; fails++;
      if (fails >= 2) poll(true); else mode('retry');
      var wait = Math.min(60000, 1000 * Math.pow(2, fails - 1));
      retryT = setTimeout(connect, wait / 2 + Math.random() * wait / 2);
    }
    src.onopen = function () {
      // Stored while the stream was down (or since the page was rendered): read once.
      if (fails || Date.now() - (cfg.at || 0) > 20000) refresh();
      fails = 0; poll(false); mode('sse');
    };
    src.onerror = lost;
    src.addEventListener('complete', lost);
    src.addEventListener('next', function (e) {
      var m; try { m = JSON.parse(e.data); } catch (x) { return; }
      var a = m && m.data && m.data.articleAdded;
      if (!a) return;
      if (cfg.words) refresh(); else add(fromGql(a), true);
    });
  }
  [].slice.call(ul.children).forEach(function (li) {
    var t = li.querySelector('time'), s = li.querySelector('.src'), im = li.querySelector('img');
    list.push({ n: +li.getAttribute('data-n'), s: +li.getAttribute('data-s'), p: Date.parse(t.dateTime), o: s.textContent.split(', '), el: li });
    if (im) watch(im);
  });
  (initial || []).forEach(function (it) { add(it, false); });
  sync();
  function tick() { list.forEach(function (r) { r.el.querySelector('time').textContent = rel(r.p, Date.now(), lang); }); }
  tick();
  setInterval(tick, 60000);
  mode('off');
  connect();
}`.replace('RELTIME', () => `(${relativeTime.toString()})`);

/** The client half of ngWidget's config that is the same everywhere (the GraphQL documents). */
export const WIDGET_JS = WIDGET;

/** The iframe page's only script: start the widget on the server-rendered markup. */
export const PAGE_SCRIPT = `${WIDGET};(function(){var r=document.querySelector('.ng'),c=JSON.parse(r.getAttribute('data-cfg'));c.query=${JSON.stringify(POLL_QUERY)};c.sub=${JSON.stringify(LIVE_SUBSCRIPTION)};ngWidget(r,c,[]);})();`;

const UI_TEXT = { vi: { empty: 'Chưa có tin nào.', failed: 'Không tải được tin.' }, en: { empty: 'No stories yet.', failed: 'Could not load stories.' } };
export const uiText = (lang: 'vi' | 'en') => UI_TEXT[lang];

/**
 * /embed.js: for every `<script src=".../embed.js" data-topic|data-source|data-feed=…>` on the
 * page, a `<div class="newsgate-embed">` right after it with the widget in its shadow root.
 * Data comes from this gateway's /embed/….json (the same selection as the iframe page), live
 * updates from its /graphql, both over CORS without credentials.
 */
export const LOADER_JS = `(function () {
'use strict';
var CSS = ${JSON.stringify(WIDGET_CSS)};
var QUERY = ${JSON.stringify(POLL_QUERY)}, SUB = ${JSON.stringify(LIVE_SUBSCRIPTION)};
var TEXT = ${JSON.stringify(UI_TEXT)};
${WIDGET}
var me = document.currentScript, mine = me && me.src ? me.src.split(/[?#]/)[0] : null;
function ours(s) { return mine ? s.src.split(/[?#]/)[0] === mine : /\\/embed\\.js(?:[?#]|$)/.test(s.src); }
function mount(s) {
  s.setAttribute('data-newsgate-mounted', '');
  var d = s.dataset, enc = encodeURIComponent;
  var route = d.topic ? 'topics/' + enc(d.topic) : d.source ? 'sources/' + enc(d.source) : d.feed ? enc(d.feed) : null;
  var theme = /^(light|dark|auto)$/.test(d.theme || '') ? d.theme : 'auto';
  var lang = d.lang === 'en' ? 'en' : 'vi';
  var base = new URL('.', s.src).href;
  var host = document.createElement('div');
  host.className = 'newsgate-embed';
  s.parentNode.insertBefore(host, s.nextSibling);
  var shadow = host.attachShadow({ mode: 'open' });
  try { var sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); shadow.adoptedStyleSheets = [sheet]; }
  catch (e) { var style = document.createElement('style'); style.textContent = CSS; shadow.appendChild(style); }
  var root = document.createElement('section');
  root.className = 'ng ' + theme;
  root.lang = lang;
  var h = document.createElement('h2'), ul = document.createElement('ul'), em = document.createElement('p'), sr = document.createElement('div');
  h.className = 'hd'; ul.className = 'ls'; em.className = 'em'; sr.className = 'sr';
  sr.setAttribute('role', 'status'); sr.setAttribute('aria-live', 'polite');
  em.hidden = true;
  root.append(h, ul, em, sr);
  shadow.appendChild(root);
  function fail() { em.textContent = TEXT[lang].failed; em.hidden = false; root.setAttribute('data-live', 'error'); }
  if (!route) return fail();
  var q = new URLSearchParams();
  q.set('lang', lang);
  if (d.limit) q.set('limit', d.limit);
  if (d.collapse) q.set('collapse', d.collapse);
  var data = base + 'embed/' + route + '.json?' + q;
  fetch(data, { credentials: 'omit' }).then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); }).then(function (body) {
    var cfg = body.config;
    cfg.gql = base + 'graphql'; cfg.data = data; cfg.query = QUERY; cfg.sub = SUB; cfg.at = body.at;
    h.textContent = body.title;
    h.id = 'ng-h'; root.setAttribute('aria-labelledby', 'ng-h');
    em.textContent = TEXT[cfg.lang].empty;
    ngWidget(root, cfg, body.items);
  }).catch(fail);
}
var all = document.querySelectorAll('script[src]');
for (var i = 0; i < all.length; i++) {
  var s = all[i];
  if (!s.hasAttribute('data-newsgate-mounted') && ours(s) && s.parentNode) mount(s);
}
})();
`;
