"""Recorded request and response payloads for networks that cannot run on loopback.

Each is shaped as the linked document shows it (ids and text changed to fit the tests).
"""

from __future__ import annotations

POST_URL = "https://fenmarsh-council.github.io/networked-councillor/councillors/amira-patel/2026/10/bin-collections-change-in-march/"
POST_URL_2 = "https://fenmarsh-council.github.io/networked-councillor/councillors/amira-patel/2026/11/flood-wardens-wanted/"

# --- X: https://docs.x.com/x-api/posts/manage-tweets/quickstart ---------------------------------

#: 201 from POST /2/tweets. https://docs.x.com/x-api/posts/creation-of-a-post
X_CREATED = {"data": {"id": "1445880548472328192", "text": "Bin collections change in March https://t.co/56a0vZUx7i"}}
X_CREATED_2 = {"data": {"id": "1445880548472328193", "text": "Flood wardens wanted https://t.co/56a0vZUx7j"}}
#: 403 for a repeated text, as X sends it (problem+json; quoted in github.com/akrherz/iembot/issues/163).
X_DUPLICATE = {"detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank",
               "title": "Forbidden", "status": 403}
#: 429 body and headers. https://docs.x.com/fundamentals/rate-limits
X_RATE_LIMITED = {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
X_RATE_LIMIT_HEADERS = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1700000060"}
#: 401 problem body. https://docs.x.com/x-api/fundamentals/response-codes-and-errors
X_UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
#: GET /2/users/me. https://docs.x.com/x-api/users/get-my-user
X_ME = {"data": {"id": "2244994945", "name": "Amira Patel", "username": "amirapatel"}}
#: GET /2/users/:id/tweets with tweet.fields=entities: links arrive as t.co with the original in expanded_url.
#: https://docs.x.com/x-api/users/get-posts
X_TIMELINE = {
    "data": [
        {"id": "1445880548472328192", "text": "Bin collections change in March https://t.co/56a0vZUx7i",
         "entities": {"urls": [{"start": 32, "end": 55, "url": "https://t.co/56a0vZUx7i", "expanded_url": POST_URL,
                                "display_url": "fenmarsh-council.github.io/networked-co…"}]}},
    ],
    "meta": {"result_count": 1, "newest_id": "1445880548472328192", "oldest_id": "1445880548472328192"},
}
X_TIMELINE_EMPTY = {"meta": {"result_count": 0}}

# --- Facebook Pages: https://developers.facebook.com/docs/pages-api/getting-started ---------------

#: POST /{page-id}/feed answers with the new post's id, "{page-id}_{post-id}".
FB_CREATED = {"id": "546349135390552_1116692661689527"}
FB_CREATED_2 = {"id": "546349135390552_1116692661689528"}
#: An expired Page token. https://developers.facebook.com/docs/graph-api/guides/error-handling
FB_TOKEN_EXPIRED = {"error": {"message": "Error validating access token: Session has expired on Friday, 13-Nov-26 "
                                         "09:00:00 PST. The current time is Monday, 16-Nov-26 10:00:00 PST.",
                              "type": "OAuthException", "code": 190, "error_subcode": 463,
                              "fbtrace_id": "EJplcsCHuLu"}}
#: Code 506, duplicate post (same guide).
FB_DUPLICATE = {"error": {"message": "Duplicate status message", "type": "OAuthException", "code": 506,
                          "error_subcode": 1455006, "fbtrace_id": "AbCdEfGh123"}}
#: Code 2, a temporary service problem (same guide).
FB_TEMPORARY = {"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                          "type": "OAuthException", "code": 2, "fbtrace_id": "AbCdEfGh124"}}
#: Code 4, the application's request limit reached (rate-limiting guide; Threads answers the same).
#: https://developers.facebook.com/docs/graph-api/overview/rate-limiting
FB_THROTTLED = {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4,
                          "is_transient": True, "fbtrace_id": "AbCdEfGh125"}}
#: GET /{page-id}/posts?fields=id,message,permalink_url.
#: https://developers.facebook.com/docs/graph-api/reference/page/feed
FB_POSTS = {"data": [{"id": "546349135390552_1116692661689527",
                      "message": f"Bin collections change in March\n\n{POST_URL}",
                      "permalink_url": "https://www.facebook.com/546349135390552/posts/1116692661689527"}],
            "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUl"}}}

# --- LinkedIn: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api ---

#: 201 Created with the new post's URN in the x-restli-id header and no body.
LI_CREATED_HEADERS = {"x-restli-id": "urn:li:share:6844785523593134080"}
LI_CREATED_HEADERS_2 = {"x-restli-id": "urn:li:share:6844785523593134081"}
#: Error body shape. https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
LI_EXPIRED = {"message": "The token used in the request has expired", "serviceErrorCode": 65601, "status": 401}
LI_DUPLICATE = {"message": "Content is a duplicate of urn:li:share:6844785523593134080", "status": 422}
LI_NOT_PERMITTED = {"message": "Not enough permissions to access: posts.FINDER-author.20260501",
                    "serviceErrorCode": 100, "status": 403}

#: Too many calls in the last hour (429), with the wait in Retry-After.
#: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits
LI_THROTTLED = {"message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
                "status": 429}

# --- Threads: https://developers.facebook.com/documentation/threads/posts -----------------------

#: POST /{threads-user-id}/threads answers with the container id.
TH_CONTAINER = {"id": "17889615691921648"}
TH_CONTAINER_2 = {"id": "17889615691921649"}
#: POST /{threads-user-id}/threads_publish answers with the Threads media id.
TH_PUBLISHED = {"id": "18002841452069587"}
TH_PUBLISHED_2 = {"id": "18002841452069588"}
#: GET /{media-id}?fields=permalink. https://developers.facebook.com/documentation/threads/threads-media
TH_PERMALINK = {"permalink": "https://www.threads.net/@amirapatel/post/C8dXqZkR1aB", "id": "18002841452069587"}
#: GET /{threads-user-id}/threads?fields=id,text,permalink.
TH_LIST = {"data": [{"id": "18002841452069587", "text": f"Bin collections change in March\n\n{POST_URL}",
                     "permalink": "https://www.threads.net/@amirapatel/post/C8dXqZkR1aB"}],
           "paging": {"cursors": {"before": "BEFORE", "after": "AFTER"}}}
#: An expired token, in the Graph error shape Threads shares.
#: https://developers.facebook.com/docs/graph-api/guides/error-handling
TH_EXPIRED = {"error": {"message": "Error validating access token: Session has expired.", "type": "OAuthException",
                        "code": 190, "error_subcode": 463, "fbtrace_id": "A1b2C3d4"}}

# --- Pictures -----------------------------------------------------------------------------------

#: POST /{page-id}/photos answers with the photo's id and the id of the Page post showing it.
#: https://developers.facebook.com/docs/graph-api/reference/page/photos#Creating
FB_PHOTO_CREATED = {"id": "1116692661689600", "post_id": "546349135390552_1116692661689601"}
#: A photo Facebook cannot use: error 324 (the upload is missing or unreadable), in the Graph error shape.
#: https://developers.facebook.com/docs/graph-api/guides/error-handling
FB_PHOTO_REFUSED = {"error": {"message": "(#324) Requires upload file", "type": "OAuthException", "code": 324,
                              "fbtrace_id": "AbCdEfGh126"}}
#: An IMAGE container whose image_url Threads could not fetch (code 100, invalid parameter).
#: https://developers.facebook.com/documentation/threads/troubleshooting
TH_IMAGE_NOT_FETCHED = {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100,
                                  "error_subcode": 4279009, "error_user_msg": "The media could not be fetched.",
                                  "fbtrace_id": "A1b2C3d5"}}
#: POST /rest/images?action=initializeUpload answers with where to PUT the bytes and the image's URN.
#: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
LI_UPLOAD_URL = "https://www.linkedin.test/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ca=vector_ads&sync=0"
LI_IMAGE_INITIALIZED = {"value": {"uploadUrlExpiresAt": 1650567510704, "uploadUrl": LI_UPLOAD_URL,
                                  "image": "urn:li:image:C4E10AQFoyyAjHPMQuQ"}}
#: The token lacks permission to upload for this author (same error shape as the Posts API).
LI_UPLOAD_NOT_PERMITTED = {"message": "Not enough permissions to access: images.ACTION.20260501",
                           "serviceErrorCode": 100, "status": 403}

# --- Token health -------------------------------------------------------------------------------

#: GET /debug_token?input_token=… on a Page token: expires_at and data_access_expires_at, Unix times
#: (0 means the token does not expire). https://developers.facebook.com/docs/graph-api/reference/debug_token
def fb_debug_token(expires_at: int, data_access_expires_at: int) -> dict:
    return {"data": {"app_id": "138483919580948", "type": "PAGE", "application": "Councillor blog",
                     "data_access_expires_at": data_access_expires_at, "expires_at": expires_at, "is_valid": True,
                     "issued_at": 1_699_000_000, "profile_id": "546349135390552",
                     "scopes": ["pages_manage_posts", "pages_read_engagement", "pages_show_list"],
                     "user_id": "10213971230581130"}}


#: GET /refresh_access_token?grant_type=th_refresh_token answers with the token and its new lifetime.
#: https://developers.facebook.com/docs/threads/get-started/long-lived-tokens/
def th_refreshed(token: str, expires_in: int = 5_183_944) -> dict:
    return {"access_token": token, "token_type": "bearer", "expires_in": expires_in}


#: A token under a day old cannot be renewed yet (Graph error shape, code 190).
TH_TOO_YOUNG = {"error": {"message": "Session key invalid. This could be because the session key has an incorrect "
                                     "format, or because the user has revoked this session",
                          "type": "OAuthException", "code": 190, "fbtrace_id": "A1b2C3d6"}}

#: POST https://www.linkedin.com/oauth/v2/introspectToken with the app's client id and secret.
#: https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection
def li_introspected(expires_at: int, active: bool = True) -> dict:
    return {"active": active, "client_id": "77ab1cd2ef3gh", "authorized_at": 1_699_000_000,
            "created_at": 1_699_000_000, "status": "active" if active else "revoked", "expires_at": expires_at,
            "scope": "w_member_social", "auth_type": "3L"}

# --- Instagram: https://developers.facebook.com/docs/instagram-platform/content-publishing ------

#: POST /{ig-user-id}/media answers with the container id; POST /{ig-user-id}/media_publish with the media id.
IG_CONTAINER = {"id": "17889455560051444"}
IG_PUBLISHED = {"id": "17920238422030506"}
#: GET /{ig-media-id}?fields=permalink.
IG_PERMALINK = {"permalink": "https://www.instagram.com/p/C8dXqZkR1aB/", "id": "17920238422030506"}
#: The picture at image_url could not be fetched (code 9004, subcode 2207052).
#: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
IG_FETCH_FAILED = {"error": {"message": "Only photo or video can be accepted as media type.",
                             "type": "OAuthException", "code": 9004, "error_subcode": 2207052,
                             "is_transient": False, "error_user_title": "Media download has failed.",
                             "error_user_msg": "The media could not be fetched from this URI.",
                             "fbtrace_id": "AQw1Zb2Cd3"}}
