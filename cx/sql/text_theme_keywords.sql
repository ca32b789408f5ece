-- Voice of the customer (cx/text.py): the theme keywords users added, oldest first.
with final as (
    select theme, keyword, language, added_at from theme_keywords
)
select * from final order by added_at, theme, keyword
