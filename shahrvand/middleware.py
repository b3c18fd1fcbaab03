from django.conf import settings
from django.utils import translation


class PersianFirstLocaleMiddleware:
    """Persian unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most browsers here ask
    for English; the portal is Persian first, so only an explicit choice (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
