/* global window, document, sessionStorage, fetch, navigator, location, URLSearchParams, console */
/**
 * The web chat page: Microsoft's Web Chat (served from our own /chat/webchat.js) on the
 * Direct Line endpoint of this server.
 *
 * - `?t=TOKEN` (a signed chat link) is passed as `linkToken` to /v3/directline/tokens/generate:
 *   the bot sees it and opens the chat already verified.
 * - `?lang=es|en`, else the browser's language, picks the page and Web Chat language.
 * - The conversation id, token and watermark live in sessionStorage, so a reload in the same tab
 *   resumes the same conversation. A reload replays the conversation from its start (Web Chat
 *   keeps its transcript only in memory), so the watermark kept is the position reached.
 * - Messages over 4,000 characters are not sent (the server would refuse them): the text stays
 *   in the box and a notice says why.
 */
(function main() {
  'use strict';

  var MAX_MESSAGE_CHARS = 4000;
  var STORAGE_KEY = 'cobrabot.chat';
  var RETRY_KEY = 'cobrabot.chat.retried';
  var ONLINE = 2;
  var FAILED_TO_CONNECT = 4;
  var ENDED = 5;

  var STRINGS = {
    es: {
      title: 'Chat',
      tooLong: 'El mensaje es demasiado largo: máximo 4000 caracteres. Acórtelo y vuelva a enviarlo.',
      failed: 'No se pudo abrir el chat. Recargue la página para intentarlo de nuevo.',
      busy: function (minutes) {
        return 'Se abrieron demasiados chats desde su conexión. Inténtelo de nuevo en ' + (minutes === 1 ? '1 minuto.' : minutes + ' minutos.');
      },
    },
    en: {
      title: 'Chat',
      tooLong: 'The message is too long: 4,000 characters at most. Please shorten it and send it again.',
      failed: 'The chat could not be opened. Reload the page to try again.',
      busy: function (minutes) {
        return 'Too many chats were opened from your connection. Please try again in ' + (minutes === 1 ? '1 minute.' : minutes + ' minutes.');
      },
    },
  };

  /** `?lang=` when it names a language of ours, else the browser's when it is one, else the server's default. */
  function pickLanguage(requested, browser, fallback) {
    var asked = String(requested || '').toLowerCase();
    if (STRINGS[asked]) return asked;
    var own = String(browser || '').toLowerCase().slice(0, 2);
    if (STRINGS[own]) return own;
    return STRINGS[fallback] ? fallback : 'es';
  }

  function readSaved() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
      return saved && typeof saved === 'object' ? saved : null;
    } catch (error) {
      console.warn('cobrabot: ignoring unreadable saved chat', error);
      return null;
    }
  }

  function save(state) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // Private modes can refuse storage: the chat still works, a reload just starts afresh.
      console.warn('cobrabot: cannot keep the chat for reloads', error);
    }
  }

  function postJson(url, body, token) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body || {}) }).then(function (response) {
      if (!response.ok) {
        var error = new Error(url + ' answered ' + response.status);
        error.status = response.status;
        error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
        throw error;
      }
      return response.json();
    });
  }

  function showError(message) {
    var main = document.getElementById('webchat');
    main.textContent = '';
    var p = document.createElement('p');
    p.className = 'chat-error';
    p.textContent = message;
    main.appendChild(p);
  }

  var params = new URLSearchParams(location.search);
  var linkToken = params.get('t') || '';
  var lang;
  var text;
  var locale;
  var creditorName = '';

  function setLanguage(value) {
    lang = value;
    text = STRINGS[lang];
    locale = lang === 'en' ? 'en-US' : 'es-ES';
    document.documentElement.lang = lang;
    document.title = text.title;
  }
  setLanguage(pickLanguage(params.get('lang'), navigator.language, 'es'));

  var configured = fetch('/chat/config')
    .then(function (response) {
      return response.ok ? response.json() : {};
    })
    .catch(function (error) {
      console.warn('cobrabot: no chat config', error);
      return {};
    });

  configured
    .then(function (config) {
      setLanguage(pickLanguage(params.get('lang'), navigator.language, config.defaultLocale));
      if (config.creditorName) {
        creditorName = config.creditorName;
        document.getElementById('creditor').textContent = config.creditorName;
        document.getElementById('header').hidden = false;
        document.title = config.creditorName + ' · ' + text.title;
      }
      var domain = location.origin + (config.directLinePath || '/v3/directline');
      return connect(domain).then(function (session) {
        render(session);
      });
    })
    .catch(function (error) {
      console.error('cobrabot: chat failed to start', error);
      // 429: this connection opened too many chats; say when to come back instead of "reload".
      if (error && error.status === 429) showError(text.busy(Math.max(1, Math.ceil(error.retryAfter / 60))));
      else showError(text.failed);
    });

  /** A DirectLine for the saved conversation of this tab and link, or for a new one. */
  function connect(domain) {
    var saved = readSaved();
    if (saved && saved.linkToken === linkToken && saved.started && saved.token && saved.conversationId) {
      return postJson(domain + '/tokens/refresh', {}, saved.token).then(
        function (fresh) {
          saved.token = fresh.token;
          save(saved);
          return {
            state: saved,
            resumed: true,
            directLine: window.WebChat.createDirectLine({ domain: domain, token: fresh.token, conversationId: saved.conversationId }),
          };
        },
        function (error) {
          // The saved token expired or the conversation is gone: start a new one.
          console.warn('cobrabot: cannot resume the saved chat', error);
          return start(domain);
        },
      );
    }
    return start(domain);
  }

  function start(domain) {
    return postJson(domain + '/tokens/generate', linkToken ? { linkToken: linkToken } : {}).then(function (generated) {
      var state = { linkToken: linkToken, conversationId: generated.conversationId, token: generated.token, watermark: '', started: false };
      save(state);
      return {
        state: state,
        resumed: false,
        directLine: window.WebChat.createDirectLine({
          domain: domain,
          token: generated.token,
          conversationStartProperties: { locale: locale },
        }),
      };
    });
  }

  function render(session) {
    var directLine = session.directLine;
    var state = session.state;

    directLine.connectionStatus$.subscribe(function (status) {
      if (status === ONLINE && !state.started) {
        state.started = true;
        save(state);
        sessionStorage.removeItem(RETRY_KEY);
      }
      if (session.resumed && (status === FAILED_TO_CONNECT || status === ENDED) && !sessionStorage.getItem(RETRY_KEY)) {
        // The saved conversation cannot be reached any more: start afresh, once.
        sessionStorage.setItem(RETRY_KEY, '1');
        sessionStorage.removeItem(STORAGE_KEY);
        location.reload();
      }
    });
    function remember() {
      // directlinejs keeps the position and the token it refreshes (every 15 minutes) on the instance.
      state.watermark = directLine.watermark || state.watermark;
      state.token = directLine.token || state.token;
      save(state);
    }
    directLine.activity$.subscribe(function (activity) {
      remember();
      followBotLanguage(activity);
    });
    // A quiet tab still gets fresh tokens: keep the latest, or a reload after 30 minutes of
    // silence would find its saved token expired and start a new conversation.
    window.setInterval(remember, 60 * 1000);

    var store = window.WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'WEB_CHAT/SUBMIT_SEND_BOX') {
            var value = String(api.getState().sendBoxValue || '');
            if (Array.from(value).length > MAX_MESSAGE_CHARS) {
              api.dispatch({ type: 'WEB_CHAT/SET_NOTIFICATION', payload: { id: 'cobrabot-too-long', level: 'error', message: text.tooLong } });
              return undefined;
            }
            api.dispatch({ type: 'WEB_CHAT/DISMISS_NOTIFICATION', payload: { id: 'cobrabot-too-long' } });
          }
          return next(action);
        };
      };
    });

    /**
     * The bot writes each message in the debtor's language and says which (`locale`): when the
     * debtor switches (`english`, `español`), or the link opened in another language than the
     * debtor's, Web Chat's own words (placeholder, times, buttons) follow.
     */
    function followBotLanguage(activity) {
      var from = activity && activity.from;
      if (!from || from.role !== 'bot' || typeof activity.locale !== 'string') return;
      var spoken = activity.locale.slice(0, 2).toLowerCase();
      if (!STRINGS[spoken] || spoken === lang) return;
      setLanguage(spoken);
      if (creditorName) document.title = creditorName + ' · ' + text.title;
      draw();
    }

    function draw() {
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          store: store,
          locale: locale,
          styleOptions: {
            hideUploadButton: true,
            // Every option of a menu in sight at once, wrapped on narrow screens, instead of a
            // carousel that hides the later ones behind an arrow.
            suggestedActionLayout: 'flow',
            rootHeight: '100%',
            bubbleBorderRadius: 8,
            bubbleFromUserBorderRadius: 8,
            bubbleFromUserBackground: '#dbe7f6',
          },
        },
        document.getElementById('webchat'),
      );
    }
    draw();
  }
})();
