'use strict';
// The admin fills in slugs with Django's URLify, which turns "ä" into "a". German spells the
// letter "ae": replace the German letters first, as koss/core/slugs.py does on the server.
{
    const GERMAN_LETTERS = {
        'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS'
    };
    const urlify = window.URLify;
    if (urlify) {
        window.URLify = function(text, maxLength, allowUnicode) {
            if (!allowUnicode) {
                text = text.replace(/[äöüÄÖÜßẞ]/g, (letter) => GERMAN_LETTERS[letter]);
            }
            return urlify(text, maxLength, allowUnicode);
        };
    }
}
