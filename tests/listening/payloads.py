"""Answers from Meta's Graph APIs for reading what came back, shaped as their documentation shows them.

Each payload names the page it follows. Ids are made up; the shapes (field names, nesting,
``paging.next``, error codes) are the documented ones.
"""

from __future__ import annotations

FB_BASE = "https://graph.facebook.test/v24.0"
TH_BASE = "https://graph.threads.test/v1.0"
FB_PAGE = "546349135390552"
FB_POST = "546349135390552_1116692661689527"
FB_POST_2 = "546349135390552_1116692661689528"
TH_POST = "18002841452069587"
TH_POST_2 = "18002841452069588"

# --- Facebook --------------------------------------------------------------------------------

#: GET /{post-id}?fields=comments.limit(0).summary(true),reactions.limit(0).summary(true),shares
#: https://developers.facebook.com/docs/graph-api/reference/object/comments (summary: order, total_count)
#: https://developers.facebook.com/docs/graph-api/reference/post/reactions/ (summary: total_count)
#: https://developers.facebook.com/docs/graph-api/reference/post/ (shares: {"count"})
FB_COUNTS = {"comments": {"data": [], "summary": {"order": "chronological", "total_count": 3, "can_comment": True}},
             "reactions": {"data": [], "summary": {"total_count": 12, "viewer_reaction": "NONE"}},
             "shares": {"count": 2}, "id": FB_POST}
#: A post nobody has answered: Facebook leaves out "shares" altogether.
FB_COUNTS_NONE = {"comments": {"data": [], "summary": {"order": "chronological", "total_count": 0,
                                                       "can_comment": True}},
                  "reactions": {"data": [], "summary": {"total_count": 0}}, "id": FB_POST_2}

#: GET /{post-id}/comments, two pages joined by paging.next (a full URL carrying its own query).
#: https://developers.facebook.com/docs/graph-api/reference/object/comments
#: https://developers.facebook.com/docs/graph-api/results (cursor-based pagination)
FB_COMMENTS_1 = {
    "data": [{"id": "1116692661689527_901", "message": "Will the tip at Fen Road be open on the Saturday?",
              "created_time": "2026-11-03T10:04:11+0000", "from": {"name": "Jo Resident", "id": "10158"},
              "permalink_url": "https://www.facebook.com/546349135390552/posts/1116692661689527?comment_id=901"},
             {"id": "1116692661689527_902", "message": "Thank you!", "created_time": "2026-11-03T11:00:00+0000",
              "from": {"name": "Sam Neighbour", "id": "10159"},
              "permalink_url": "https://www.facebook.com/546349135390552/posts/1116692661689527?comment_id=902"}],
    "paging": {"cursors": {"before": "WTI5dGJXVnVkRjlqZAFhKemIzSTZA", "after": "WTI5dGJXVnVkRjlqZAFhKemIzSTZB"},
               "next": f"{FB_BASE}/{FB_POST}/comments?limit=2&after=WTI5dGJXVnVkRjlqZAFhKemIzSTZB"}}
#: The last page: no "next". A comment read without pages_read_user_content comes without "from".
FB_COMMENTS_2 = {
    "data": [{"id": "1116692661689527_903", "message": "Bins were missed on Mill Lane again",
              "created_time": "2026-11-04T08:30:00+0000",
              "permalink_url": "https://www.facebook.com/546349135390552/posts/1116692661689527?comment_id=903"}],
    "paging": {"cursors": {"before": "WTI5dGJXVnVkRjlqZAFhKemIzSTZC", "after": "WTI5dGJXVnVkRjlqZAFhKemIzSTZD"}}}
FB_COMMENTS_EMPTY = {"data": []}

#: GET /{page-id}?fields=followers_count. https://developers.facebook.com/docs/graph-api/reference/page/
FB_FOLLOWERS = {"followers_count": 1204, "id": FB_PAGE}

#: A post deleted from the Page: code 100, subcode 33, HTTP 400.
#: https://developers.facebook.com/docs/graph-api/guides/error-handling
FB_DELETED = {"error": {"message": f"Unsupported get request. Object with ID '{FB_POST_2}' does not exist, cannot be "
                                   "loaded due to missing permissions, or does not support this operation. Please "
                                   "read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                        "type": "GraphMethodException", "code": 100, "error_subcode": 33,
                        "fbtrace_id": "AyE7SHqT2Xc"}}

#: A token that may post but not read: code 10 (permission), HTTP 403 (same guide).
FB_NO_READ = {"error": {"message": "(#10) This endpoint requires the 'pages_read_engagement' permission or the "
                                   "'Page Public Content Access' feature.",
                        "type": "OAuthException", "code": 10, "fbtrace_id": "A5cZ0tP1n_Q"}}

# --- Threads ---------------------------------------------------------------------------------

#: GET /{media-id}/insights?metric=likes,replies,reposts,quotes
#: https://developers.facebook.com/documentation/threads/insights (media insights: "values")
TH_INSIGHTS = {"data": [
    {"name": "likes", "period": "lifetime", "values": [{"value": 9}], "title": "Likes",
     "description": "The number of likes on your post.", "id": f"{TH_POST}/insights/likes/lifetime"},
    {"name": "replies", "period": "lifetime", "values": [{"value": 3}], "title": "Replies",
     "description": "The number of replies on your post.", "id": f"{TH_POST}/insights/replies/lifetime"},
    {"name": "reposts", "period": "lifetime", "values": [{"value": 1}], "title": "Reposts",
     "description": "The number of times your post was reposted.", "id": f"{TH_POST}/insights/reposts/lifetime"},
    {"name": "quotes", "period": "lifetime", "values": [{"value": 0}], "title": "Quotes",
     "description": "The number of times your post was quoted.", "id": f"{TH_POST}/insights/quotes/lifetime"}]}

#: GET /{media-id}/conversation?fields=id,text,username,permalink,timestamp&reverse=false, two pages.
#: https://developers.facebook.com/documentation/threads/retrieve-and-manage-replies/replies-and-conversations
TH_CONVERSATION_1 = {
    "data": [{"id": "18050206876707110", "text": "Is the drain on Mill Lane on the list?", "username": "fenmarsh_jo",
              "permalink": "https://www.threads.net/@fenmarsh_jo/post/C8eAbCdEfGh",
              "timestamp": "2026-11-03T09:15:00+0000"},
             {"id": "18050206876707111", "text": "Yes, it is - thanks for asking", "username": "amirapatel",
              "permalink": "https://www.threads.net/@amirapatel/post/C8eAbCdEfGi",
              "timestamp": "2026-11-03T09:40:00+0000"}],
    "paging": {"cursors": {"before": "QVFIUmx", "after": "QVFIUm9"},
               "next": f"{TH_BASE}/{TH_POST}/conversation?reverse=false&after=QVFIUm9"}}
TH_CONVERSATION_2 = {
    "data": [{"id": "18050206876707112", "text": "Great news", "username": "sam.neighbour",
              "permalink": "https://www.threads.net/@sam.neighbour/post/C8eAbCdEfGj",
              "timestamp": "2026-11-03T10:00:00+0000"}],
    "paging": {"cursors": {"before": "QVFIUn0", "after": "QVFIUn1"}}}

#: GET /{threads-user-id}/threads_insights?metric=followers_count (user insights: "total_value").
#: https://developers.facebook.com/documentation/threads/insights
TH_FOLLOWERS = {"data": [{"name": "followers_count", "period": "day", "title": "followers_count",
                          "description": "The number of followers on your profile.", "total_value": {"value": 412},
                          "id": "1789/insights/followers_count/day"}]}

#: A token without threads_manage_insights: code 10, HTTP 403 (Graph error shape).
TH_NO_INSIGHTS = {"error": {"message": "(#10) Application does not have permission for this action",
                            "type": "OAuthException", "code": 10, "fbtrace_id": "AbC9dEf0GhI"}}
