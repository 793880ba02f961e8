// Starts nhsuk-frontend's components (header menu, skip link, buttons).
// It lives in a file, not an inline <script>, because the Content-Security-
// Policy allows scripts from this site only. The page loads nhsuk-frontend as
// a module from <script data-nhsuk-frontend>; importing the same URL again
// returns that module without a second download.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported');
}
const tag = document.querySelector('script[data-nhsuk-frontend]');
if (tag) {
  import(tag.src).then((nhsuk) => nhsuk.initAll()).catch(() => {});
}
