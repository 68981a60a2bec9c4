"""Labels of the EU AI Act training-content summary (part of :mod:`provenance.vocabulary`):
the template's sections and fields, size bins, source categories and the phrases the summary
generates, in Chinese and English."""

from __future__ import annotations

EU_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "eu_size_bin": {
        "less than 1 billion tokens": ("少于 10 亿个词元", "less than 1 billion tokens"),
        "1 billion to 10 trillion tokens": (
            "10 亿至 10 万亿个词元",
            "1 billion to 10 trillion tokens",
        ),
        "more than 10 trillion tokens": ("超过 10 万亿个词元", "more than 10 trillion tokens"),
    },
    "eu_category": {
        "2.1 publicly available datasets": (
            "2.1 公开可用的数据集",
            "2.1 publicly available datasets",
        ),
        "2.2.1 datasets commercially licensed from rightsholders": (
            "2.2.1 向权利人商业许可取得的数据集",
            "2.2.1 datasets commercially licensed from rightsholders",
        ),
        "2.2.2 other private third-party datasets": (
            "2.2.2 其他非公开的第三方数据集",
            "2.2.2 other private third-party datasets",
        ),
        "2.3 data crawled and scraped from online sources": (
            "2.3 从网络爬取的数据",
            "2.3 data crawled and scraped from online sources",
        ),
        "2.4 user data": ("2.4 用户数据", "2.4 user data"),
        "2.5 synthetic data": ("2.5 合成数据", "2.5 synthetic data"),
    },
    "eu_field": {
        "template": ("模板", "Template"),
        "summary_version": ("摘要版本", "Summary version"),
        "last_update": ("最近更新", "Last update"),
        "1_general_information": ("1 一般信息", "1 General information"),
        "1_1_provider": ("1.1 提供者", "1.1 Provider"),
        "name": ("名称", "Name"),
        "contact": ("联系方式", "Contact"),
        "authorised_representative": ("欧盟授权代表", "Authorised representative"),
        "1_2_model": ("1.2 模型", "1.2 Model"),
        "versioned_model_name": ("模型名称及版本", "Versioned model name"),
        "model_dependencies": ("所依赖的模型", "Model dependencies"),
        "market_date": ("投放欧盟市场日期", "Date placed on the Union market"),
        "1_3_modalities_and_size": ("1.3 模态与规模", "1.3 Modalities and size"),
        "modalities": ("模态", "Modalities"),
        "tokens": ("词元", "Tokens"),
        "records": ("记录", "Records"),
        "size_bin": ("规模区间", "Size bin"),
        "content_types": ("内容类型", "Content types"),
        "latest_collection": ("最近采集日期", "Latest data collection"),
        "continuous_training": ("是否持续训练", "Continuous training"),
        "languages": ("语言", "Languages"),
        "2_list_of_data_sources": ("2 数据来源清单", "2 List of data sources"),
        "2_1_publicly_available_datasets": (
            "2.1 公开可用的数据集",
            "2.1 Publicly available datasets",
        ),
        "used": ("是否使用", "Used"),
        "datasets": ("数据集", "Datasets"),
        "large_datasets": ("大型数据集", "Large datasets"),
        "large_cut_off_share": (
            "大型数据集门槛（占本模态）",
            "Large-dataset cut-off (share of modality)",
        ),
        "2_2_1_commercially_licensed": (
            "2.2.1 向权利人商业许可取得的数据集",
            "2.2.1 Datasets commercially licensed from rightsholders",
        ),
        "2_2_2_other_private_third_party": (
            "2.2.2 其他非公开的第三方数据集",
            "2.2.2 Other private third-party datasets",
        ),
        "2_3_crawled_and_scraped": ("2.3 从网络爬取的数据", "2.3 Data crawled and scraped online"),
        "crawlers": ("采集工具", "Crawlers"),
        "purposes": ("采集目的", "Purposes"),
        "behaviour": ("采集行为", "Behaviour"),
        "collection_period": ("采集期间", "Collection period"),
        "start": ("开始", "Start"),
        "end": ("结束", "End"),
        "top_domains": ("按规模排名前 10% 的域名", "Top 10% of domains by size"),
        "2_4_user_data": ("2.4 用户数据", "2.4 User data"),
        "2_5_synthetic_data": ("2.5 合成数据", "2.5 Synthetic data"),
        "generator_models": ("生成模型", "Generating models"),
        "2_6_other_sources": ("2.6 其他来源", "2.6 Other sources"),
        "description": ("说明", "Description"),
        "3_data_processing": ("3 数据处理", "3 Data processing"),
        "3_1_tdm_opt_out": ("3.1 尊重文本与数据挖掘保留声明", "3.1 Respect of TDM opt-outs"),
        "measures": ("措施", "Measures"),
        "robots_verdicts": ("robots.txt 核验结果（网址数）", "robots.txt verdicts (URLs)"),
        "3_2_illegal_content": ("3.2 违法内容的去除", "3.2 Removal of illegal content"),
        "deny_list_checked": ("已核对黑名单", "Deny list checked"),
        "deny_list_findings": ("黑名单发现", "Deny-list findings"),
        "keyword_filtering": ("关键词过滤", "Keyword filtering"),
        "records_checked": ("经检查的记录", "Records checked"),
        "keyword_library_declared": ("已声明关键词库", "Keyword library declared"),
        "classifier": ("分类模型", "Classifier"),
        "3_3_other_information": ("3.3 其他信息", "3.3 Other information"),
    },
    "eu_text": {
        "not provided": ("清单未提供", "not provided"),
        "not recorded": ("本次审计未记录", "not recorded"),
        "no crawled sources": ("无网络爬取的来源", "no crawled sources"),
        "every collected URL re-checked against the archived robots.txt of its host "
        "(RFC 9309, protego), for the crawler's user agent": (
            "每个采集网址均按其主机存档的 robots.txt（RFC 9309）以该采集工具的用户代理重新核验",
            "every collected URL re-checked against the archived robots.txt of its host "
            "(RFC 9309, protego), for the crawler's user agent",
        ),
        "AI Office, Template for the Public Summary of Training Content for GPAI models (2025)": (
            "欧盟人工智能办公室《通用人工智能模型训练内容公开摘要模板》（2025）",
            "AI Office, Template for the Public Summary of Training Content for GPAI models (2025)",
        ),
    },
}
