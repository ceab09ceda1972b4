"""The HTTP face: a FastAPI app (:func:`netraven.web.app.create_app`) served by ``netraven serve``.

``api/`` holds one router per resource under ``/api/v1``; every route declares who may call it
(:func:`netraven.web.deps.require`) and calls the domain packages, which hold every query and
validation. Nothing happens at import time.
"""
