window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1696052093181640704"
          ],
          "editableUntil" : "2023-08-28T07:15:42.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "سوات",
            "indices" : [
              "102",
              "107"
            ]
          },
          {
            "text" : "سیلاب",
            "indices" : [
              "108",
              "114"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "114"
      ],
      "favorite_count" : "0",
      "id_str" : "1696052093181640704",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1696052093181640704",
      "created_at" : "Mon Aug 28 06:15:42 +0000 2023",
      "favorited" : false,
      "full_text" : "سوات میں سیلاب کے بعد دریا کا پانی اتر رہا ہے اور متاثرہ خاندانوں کے لیے امدادی کیمپ لگا دیے گئے ہیں۔ #سوات #سیلاب",
      "lang" : "ur"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1696420873542135808"
          ],
          "editableUntil" : "2023-08-29T07:41:06.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "پېښور",
            "indices" : [
              "70",
              "76"
            ]
          },
          {
            "text" : "موسم",
            "indices" : [
              "77",
              "82"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "82"
      ],
      "favorite_count" : "0",
      "id_str" : "1696420873542135808",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1696420873542135808",
      "created_at" : "Tue Aug 29 06:41:06 +0000 2023",
      "favorited" : false,
      "full_text" : "نن په پېښور کې هوا ډېره ګرمه ده، خو د ماښام لخوا د باران امکان شته 🌦️ #پېښور #موسم",
      "lang" : "ps"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1697141516279287808"
          ],
          "editableUntil" : "2023-08-31T07:24:41.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "PAKvENG",
            "indices" : [
              "81",
              "89"
            ]
          },
          {
            "text" : "Cricket",
            "indices" : [
              "90",
              "98"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Sports Desk",
            "screen_name" : "sports_desk_pk",
            "indices" : [
              "36",
              "51"
            ],
            "id_str" : "1427358109874503681",
            "id" : "1427358109874503681"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "98"
      ],
      "favorite_count" : "0",
      "id_str" : "1697141516279287808",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1697141516279287808",
      "created_at" : "Thu Aug 31 06:24:41 +0000 2023",
      "favorited" : false,
      "full_text" : "Aaj ka match bohat zabardast tha 🏏🔥 @sports_desk_pk ne poori report share kar di #PAKvENG #Cricket",
      "lang" : "und"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1698893626349826179"
          ],
          "editableUntil" : "2023-09-05T03:27:08.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [],
        "media" : [
          {
            "expanded_url" : "https://twitter.com/archive_owner/status/1698893626349826179/photo/1",
            "indices" : [
              "65",
              "88"
            ],
            "url" : "https://t.co/Qm7XbR2pLk",
            "media_url" : "http://pbs.twimg.com/media/F5W8kQbXsAAx3Lm.jpg",
            "id_str" : "1698893520417845248",
            "id" : "1698893520417845248",
            "media_url_https" : "https://pbs.twimg.com/media/F5W8kQbXsAAx3Lm.jpg",
            "sizes" : {
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "1200",
                "h" : "900",
                "resize" : "fit"
              },
              "small" : {
                "w" : "680",
                "h" : "510",
                "resize" : "fit"
              },
              "large" : {
                "w" : "2048",
                "h" : "1536",
                "resize" : "fit"
              }
            },
            "type" : "photo",
            "display_url" : "pic.twitter.com/Qm7XbR2pLk"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "64"
      ],
      "favorite_count" : "0",
      "id_str" : "1698893626349826179",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1698893626349826179",
      "created_at" : "Tue Sep 05 02:27:08 +0000 2023",
      "favorited" : false,
      "full_text" : "Fresh mangoes arriving at the Multan fruit market this morning 🥭 https://t.co/Qm7XbR2pLk",
      "lang" : "en",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://twitter.com/archive_owner/status/1698893626349826179/photo/1",
            "indices" : [
              "65",
              "88"
            ],
            "url" : "https://t.co/Qm7XbR2pLk",
            "media_url" : "http://pbs.twimg.com/media/F5W8kQbXsAAx3Lm.jpg",
            "id_str" : "1698893520417845248",
            "id" : "1698893520417845248",
            "media_url_https" : "https://pbs.twimg.com/media/F5W8kQbXsAAx3Lm.jpg",
            "sizes" : {
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "1200",
                "h" : "900",
                "resize" : "fit"
              },
              "small" : {
                "w" : "680",
                "h" : "510",
                "resize" : "fit"
              },
              "large" : {
                "w" : "2048",
                "h" : "1536",
                "resize" : "fit"
              }
            },
            "type" : "photo",
            "display_url" : "pic.twitter.com/Qm7XbR2pLk"
          }
        ]
      },
      "possibly_sensitive" : false
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1699264902514036736"
          ],
          "editableUntil" : "2023-09-06T04:02:26.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Weather Watch PK",
            "screen_name" : "weather_watch_pk",
            "indices" : [
              "0",
              "17"
            ],
            "id_str" : "1502846611094528000",
            "id" : "1502846611094528000"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/Wx4Lp9TzQa",
            "expanded_url" : "https://weather.example.pk/karachi/forecast",
            "display_url" : "weather.example.pk/karachi/foreca…",
            "indices" : [
              "87",
              "110"
            ]
          }
        ]
      },
      "display_text_range" : [
        "18",
        "110"
      ],
      "favorite_count" : "0",
      "id_str" : "1699264902514036736",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1699264902514036736",
      "created_at" : "Wed Sep 06 03:02:26 +0000 2023",
      "favorited" : false,
      "full_text" : "@weather_watch_pk شکریہ! Karachi mein kal se barish ka imkan hai 🌧️ تفصیل یہاں دیکھیں: https://t.co/Wx4Lp9TzQa",
      "lang" : "ur",
      "in_reply_to_status_id_str" : "1699230178945318912",
      "in_reply_to_status_id" : "1699230178945318912",
      "in_reply_to_user_id" : "1502846611094528000",
      "in_reply_to_user_id_str" : "1502846611094528000",
      "in_reply_to_screen_name" : "weather_watch_pk"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1699611484694286336"
          ],
          "editableUntil" : "2023-09-07T02:59:37.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "Lahore",
            "indices" : [
              "113",
              "120"
            ]
          },
          {
            "text" : "موسم",
            "indices" : [
              "121",
              "126"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "News Desk",
            "screen_name" : "news_desk_example",
            "indices" : [
              "3",
              "21"
            ],
            "id_str" : "1354018473521057792",
            "id" : "1354018473521057792"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "126"
      ],
      "favorite_count" : "0",
      "id_str" : "1699611484694286336",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1699611484694286336",
      "created_at" : "Thu Sep 07 01:59:37 +0000 2023",
      "favorited" : false,
      "full_text" : "RT @news_desk_example: لاہور میں آج درجہ حرارت 42 ڈگری تک پہنچ گیا، شہریوں کو دوپہر میں دھوپ سے بچنے کی ہدایت 🌡️ #Lahore #موسم",
      "lang" : "ur"
    }
  }
]