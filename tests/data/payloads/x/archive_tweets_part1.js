window.YTD.tweets.part1 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1702701283730968576"
          ],
          "editableUntil" : "2023-09-15T15:38:11.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "PSX",
            "indices" : [
              "66",
              "70"
            ]
          }
        ],
        "symbols" : [
          {
            "text" : "OGDC",
            "indices" : [
              "35",
              "40"
            ]
          },
          {
            "text" : "PPL",
            "indices" : [
              "45",
              "49"
            ]
          }
        ],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "70"
      ],
      "favorite_count" : "0",
      "id_str" : "1702701283730968576",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1702701283730968576",
      "created_at" : "Fri Sep 15 14:38:11 +0000 2023",
      "favorited" : false,
      "full_text" : "KSE-100 index closed higher today; $OGDC and $PPL led the gains 📈 #PSX",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1703064771582705669"
          ],
          "editableUntil" : "2023-09-16T15:42:33.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [],
        "media" : [
          {
            "expanded_url" : "https://twitter.com/archive_owner/status/1703064771582705669/video/1",
            "indices" : [
              "39",
              "62"
            ],
            "url" : "https://t.co/Hn3Vd8KqZs",
            "media_url" : "http://pbs.twimg.com/ext_tw_video_thumb/1703064690125094912/pu/img/Rk2Vn8LsQpW3xYzA.jpg",
            "id_str" : "1703064690125094912",
            "id" : "1703064690125094912",
            "media_url_https" : "https://pbs.twimg.com/ext_tw_video_thumb/1703064690125094912/pu/img/Rk2Vn8LsQpW3xYzA.jpg",
            "sizes" : {
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "675",
                "h" : "1200",
                "resize" : "fit"
              },
              "small" : {
                "w" : "383",
                "h" : "680",
                "resize" : "fit"
              },
              "large" : {
                "w" : "720",
                "h" : "1280",
                "resize" : "fit"
              }
            },
            "display_url" : "pic.twitter.com/Hn3Vd8KqZs",
            "type" : "photo"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "38"
      ],
      "favorite_count" : "0",
      "id_str" : "1703064771582705669",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1703064771582705669",
      "created_at" : "Sat Sep 16 14:42:33 +0000 2023",
      "favorited" : false,
      "full_text" : "اسلام آباد میں مون سون کی پہلی بارش 🌧️ https://t.co/Hn3Vd8KqZs",
      "lang" : "ur",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://twitter.com/archive_owner/status/1703064771582705669/video/1",
            "indices" : [
              "39",
              "62"
            ],
            "url" : "https://t.co/Hn3Vd8KqZs",
            "media_url" : "http://pbs.twimg.com/ext_tw_video_thumb/1703064690125094912/pu/img/Rk2Vn8LsQpW3xYzA.jpg",
            "id_str" : "1703064690125094912",
            "id" : "1703064690125094912",
            "media_url_https" : "https://pbs.twimg.com/ext_tw_video_thumb/1703064690125094912/pu/img/Rk2Vn8LsQpW3xYzA.jpg",
            "sizes" : {
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "675",
                "h" : "1200",
                "resize" : "fit"
              },
              "small" : {
                "w" : "383",
                "h" : "680",
                "resize" : "fit"
              },
              "large" : {
                "w" : "720",
                "h" : "1280",
                "resize" : "fit"
              }
            },
            "display_url" : "pic.twitter.com/Hn3Vd8KqZs",
            "type" : "video",
            "video_info" : {
              "aspect_ratio" : [
                "9",
                "16"
              ],
              "duration_millis" : "15015",
              "variants" : [
                {
                  "bitrate" : "632000",
                  "content_type" : "video/mp4",
                  "url" : "https://video.twimg.com/ext_tw_video/1703064690125094912/pu/vid/320x568/aB3dE5fG7hJ9kL1m.mp4?tag=12"
                },
                {
                  "content_type" : "application/x-mpegURL",
                  "url" : "https://video.twimg.com/ext_tw_video/1703064690125094912/pu/pl/nP2qR4sT6uV8wX0y.m3u8?tag=12"
                },
                {
                  "bitrate" : "2176000",
                  "content_type" : "video/mp4",
                  "url" : "https://video.twimg.com/ext_tw_video/1703064690125094912/pu/vid/720x1280/cZ1bY3aX5wV7uT9s.mp4?tag=12"
                }
              ]
            },
            "additional_media_info" : {
              "monetizable" : false
            }
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
            "1703425902136262912"
          ],
          "editableUntil" : "2023-09-17T15:37:32.000Z",
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
            "expanded_url" : "https://twitter.com/archive_owner/status/1703425902136262912/photo/1",
            "indices" : [
              "60",
              "83"
            ],
            "url" : "https://t.co/Gf5Jk2LmNp",
            "media_url" : "http://pbs.twimg.com/tweet_video_thumb/F6LmQx2WgAAb7Rz.jpg",
            "id_str" : "1703425853322936320",
            "id" : "1703425853322936320",
            "media_url_https" : "https://pbs.twimg.com/tweet_video_thumb/F6LmQx2WgAAb7Rz.jpg",
            "sizes" : {
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "498",
                "h" : "280",
                "resize" : "fit"
              },
              "small" : {
                "w" : "498",
                "h" : "280",
                "resize" : "fit"
              },
              "large" : {
                "w" : "498",
                "h" : "280",
                "resize" : "fit"
              }
            },
            "display_url" : "pic.twitter.com/Gf5Jk2LmNp",
            "type" : "photo"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "59"
      ],
      "favorite_count" : "0",
      "id_str" : "1703425902136262912",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1703425902136262912",
      "created_at" : "Sun Sep 17 14:37:32 +0000 2023",
      "favorited" : false,
      "full_text" : "When the power comes back after two hours of loadshedding 😅 https://t.co/Gf5Jk2LmNp",
      "lang" : "en",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://twitter.com/archive_owner/status/1703425902136262912/photo/1",
            "indices" : [
              "60",
              "83"
            ],
            "url" : "https://t.co/Gf5Jk2LmNp",
            "media_url" : "http://pbs.twimg.com/tweet_video_thumb/F6LmQx2WgAAb7Rz.jpg",
            "id_str" : "1703425853322936320",
            "id" : "1703425853322936320",
            "media_url_https" : "https://pbs.twimg.com/tweet_video_thumb/F6LmQx2WgAAb7Rz.jpg",
            "sizes" : {
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "498",
                "h" : "280",
                "resize" : "fit"
              },
              "small" : {
                "w" : "498",
                "h" : "280",
                "resize" : "fit"
              },
              "large" : {
                "w" : "498",
                "h" : "280",
                "resize" : "fit"
              }
            },
            "display_url" : "pic.twitter.com/Gf5Jk2LmNp",
            "type" : "animated_gif",
            "video_info" : {
              "aspect_ratio" : [
                "249",
                "140"
              ],
              "variants" : [
                {
                  "bitrate" : "0",
                  "content_type" : "video/mp4",
                  "url" : "https://video.twimg.com/tweet_video/F6LmQx2WgAAb7Rz.mp4"
                }
              ]
            }
          }
        ]
      },
      "possibly_sensitive" : false
    }
  }
]